// Relationship strength derived from interaction evidence: a pure function, so the API, importers and the demo seed all
// recompute strength the same way and can show why a tie scored what it did.
//
// Formula (h = half-life in days, default 90; K = 3; L₀ = 20; ages in days, future interactions count as age 0):
//
//   decayedScore  D = Σᵢ wᵢ · 2^(−ageᵢ / h)                 recent evidence counts most, old evidence fades
//   active          = 1 − e^(−D / K)                         saturates in (0, 1): ten meetings are not ten times a tie
//   reciprocity   r = 0.7 + 0.3 · balance                    balance = 2·min(a, b) / (a + b) over the weights initiated by
//                                                            side A (a) and side B (b); one-sided 0.7, mutual 1.0;
//                                                            interactions with no known initiator are left out, and
//                                                            with none known r = 0.85 (neutral, halfway)
//   floor           = 0.5 · (1 − e^(−lifetime / L₀)) · (0.5 + 0.5 · min(1, tenureYears / 5))
//                                                            "dormant but strong": lifetime = Σᵢ wᵢ without decay,
//                                                            tenure from `since` (else the first interaction);
//                                                            a long, rich tie that went quiet keeps up to 0.5
//   strength        = max(0.05, active · r, floor)           never 0: the database requires strength in (0, 1]
//
// Every term is below 1 (active < 1, r ≤ 1, floor ≤ 0.5), so strength lies in [0.05, 1).

export type InitiatorSide = "A" | "B" | null;

export interface StrengthInteraction {
  occurredAt: Date;
  /** > 0; a meeting weighs more than a message. */
  weight: number;
  /** Which side of the relationship started it, when known. */
  initiatedBySide: InitiatorSide;
}

export interface StrengthContext {
  /** When the relationship started, if known; a long tenure raises the dormant floor. */
  since?: Date | null;
  /** The instant strength is evaluated at; explicit so results are reproducible. */
  now: Date;
  halfLifeDays?: number;
}

// A type alias rather than an interface so it is assignable to Prisma's JSON input type.
export type StrengthEvidence = {
  formula: string;
  computedAt: string;
  halfLifeDays: number;
  saturation: number;
  interactionCount: number;
  lastInteractionAt: string | null;
  decayedScore: number;
  activeStrength: number;
  reciprocity: { factor: number; initiatedByA: number; initiatedByB: number; unknownInitiator: number };
  lifetimeWeight: number;
  tenureDays: number;
  floor: number;
  minimum: number;
  /** Which term decided the strength. */
  decidedBy: "activity" | "dormantFloor" | "minimum";
};

export interface StrengthResult {
  strength: number;
  evidence: StrengthEvidence;
}

// A relationship fades over seasons, not weeks: evidence from a quarter ago counts half as much as today's.
export const STRENGTH_HALF_LIFE_DAYS = 90;
export const MINIMUM_STRENGTH = 0.05;
const SATURATION = 3;
const LIFETIME_SATURATION = 20;
const MAX_FLOOR = 0.5;
const FULL_TENURE_YEARS = 5;
const ONE_SIDED_RECIPROCITY = 0.7;
const NEUTRAL_RECIPROCITY = 0.85;
const DAY_MS = 86_400_000;

export const STRENGTH_FORMULA =
  "max(0.05, (1 - exp(-D/3)) * r, floor); D = sum(w * 2^(-ageDays/halfLife)); " +
  "r = 0.7 + 0.3 * 2min(a,b)/(a+b) (0.85 if no initiator known); " +
  "floor = 0.5 * (1 - exp(-sum(w)/20)) * (0.5 + 0.5 * min(1, tenureYears/5))";

export function computeStrength(
  interactions: readonly StrengthInteraction[],
  context: StrengthContext,
): StrengthResult {
  const halfLifeDays = context.halfLifeDays ?? STRENGTH_HALF_LIFE_DAYS;
  if (!(halfLifeDays > 0)) throw new RangeError(`halfLifeDays must be positive, got ${halfLifeDays}`);
  const nowMs = context.now.getTime();

  let decayedScore = 0;
  let lifetimeWeight = 0;
  let initiatedByA = 0;
  let initiatedByB = 0;
  let unknownInitiator = 0;
  let interactionCount = 0;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const interaction of interactions) {
    // Non-positive or non-finite weights are bad input, not evidence; skipping them keeps the range guarantee.
    const weight = Number.isFinite(interaction.weight) && interaction.weight > 0 ? interaction.weight : 0;
    if (weight === 0) continue;
    interactionCount += 1;
    const atMs = interaction.occurredAt.getTime();
    const ageDays = Math.max(0, (nowMs - atMs) / DAY_MS);
    decayedScore += weight * 2 ** (-ageDays / halfLifeDays);
    lifetimeWeight += weight;
    if (interaction.initiatedBySide === "A") initiatedByA += weight;
    else if (interaction.initiatedBySide === "B") initiatedByB += weight;
    else unknownInitiator += weight;
    firstMs = Math.min(firstMs, atMs);
    lastMs = Math.max(lastMs, atMs);
  }

  const activeStrength = 1 - Math.exp(-decayedScore / SATURATION);
  const known = initiatedByA + initiatedByB;
  const reciprocity =
    known > 0
      ? ONE_SIDED_RECIPROCITY + (1 - ONE_SIDED_RECIPROCITY) * ((2 * Math.min(initiatedByA, initiatedByB)) / known)
      : NEUTRAL_RECIPROCITY;

  const startMs = context.since ? context.since.getTime() : firstMs;
  const tenureDays = Number.isFinite(startMs) ? Math.max(0, (nowMs - startMs) / DAY_MS) : 0;
  const floor = dormantFloor(lifetimeWeight, tenureDays);

  const active = activeStrength * reciprocity;
  const strength = Math.max(MINIMUM_STRENGTH, active, floor);
  const decidedBy = strength === active ? "activity" : strength === floor ? "dormantFloor" : "minimum";

  return {
    strength,
    evidence: {
      formula: STRENGTH_FORMULA,
      computedAt: context.now.toISOString(),
      halfLifeDays,
      saturation: SATURATION,
      interactionCount,
      lastInteractionAt: Number.isFinite(lastMs) ? new Date(lastMs).toISOString() : null,
      decayedScore: round(decayedScore),
      activeStrength: round(activeStrength),
      reciprocity: {
        factor: round(reciprocity),
        initiatedByA: round(initiatedByA),
        initiatedByB: round(initiatedByB),
        unknownInitiator: round(unknownInitiator),
      },
      lifetimeWeight: round(lifetimeWeight),
      tenureDays: round(tenureDays),
      floor: round(floor),
      minimum: MINIMUM_STRENGTH,
      decidedBy,
    },
  };
}

function dormantFloor(lifetimeWeight: number, tenureDays: number): number {
  const tenureFactor = 0.5 + 0.5 * Math.min(1, tenureDays / 365.25 / FULL_TENURE_YEARS);
  return MAX_FLOOR * (1 - Math.exp(-lifetimeWeight / LIFETIME_SATURATION)) * tenureFactor;
}

/** The evidence terms that strength at a later instant depends on. */
export type AgeableEvidence = Pick<
  StrengthEvidence,
  "computedAt" | "halfLifeDays" | "saturation" | "decayedScore" | "lifetimeWeight" | "tenureDays" | "minimum"
> & { reciprocity: Pick<StrengthEvidence["reciprocity"], "factor"> };

/**
 * Strength at `now` from evidence computed earlier, without reading the interactions again: every interaction's
 * decayed weight shrinks by the same factor 2^(−Δ/h) over Δ days and tenure grows by Δ, so this is computeStrength at
 * `now` (to the evidence's six decimals) whenever no interaction lay after `computedAt`. A `now` before
 * `computedAt` gives the strength at `computedAt`.
 */
export function strengthAsOf(evidence: AgeableEvidence, now: Date): number {
  const elapsedDays = Math.max(0, (now.getTime() - Date.parse(evidence.computedAt)) / DAY_MS);
  const decayedScore = evidence.decayedScore * 2 ** (-elapsedDays / evidence.halfLifeDays);
  const active = (1 - Math.exp(-decayedScore / evidence.saturation)) * evidence.reciprocity.factor;
  const floor = dormantFloor(evidence.lifetimeWeight, evidence.tenureDays + elapsedDays);
  return Math.max(evidence.minimum, active, floor);
}

/** Maps an interaction's initiator to the side of the (canonically ordered) relationship it is on. */
export function initiatorSide(
  initiatedById: string | null | undefined,
  relationship: { personAId: string; personBId: string },
): InitiatorSide {
  if (initiatedById === relationship.personAId) return "A";
  if (initiatedById === relationship.personBId) return "B";
  return null;
}

// Evidence is for people to read; six decimals keep it legible without hiding a difference that matters.
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
