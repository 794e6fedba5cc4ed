// The plain data the credit engine reads and writes: intro chains into an outcome, and the credit allocated from them.
// The API maps database rows to these shapes; nothing here knows about GraphQL or Prisma.

export type CreditModel =
  | "SHAPLEY"
  | "LINEAR"
  | "FIRST_TOUCH"
  | "LAST_TOUCH"
  | "POSITION_BASED"
  | "TIME_DECAY"
  | "MARKOV";

export const CREDIT_MODELS: readonly CreditModel[] = [
  "SHAPLEY",
  "LINEAR",
  "FIRST_TOUCH",
  "LAST_TOUCH",
  "POSITION_BASED",
  "TIME_DECAY",
  "MARKOV",
];

/** One introduction on a chain, as seen by the credit engine. */
export interface Touch {
  introductionId: string;
  /** The person who made the introduction and may earn credit for it. */
  connectorId: string;
  occurredAt: Date;
  /** Both sides opted in to the introduction. */
  consented: boolean;
  /** The introduction is under an open or upheld dispute. */
  disputed: boolean;
}

/** An intro chain: the introductions from a root intro to the outcome, earliest first. */
export type Chain = readonly Touch[];

export interface Outcome {
  id: string;
  /** Decimal string in major units, e.g. "1250.00". Never negative. */
  value: string;
  currency: string;
  occurredAt: Date;
  chains: readonly Chain[];
}

export interface MoneyOptions {
  /** Decimal places of the currency's minor unit (2 for cents, 0 for JPY). Default 2. */
  minorUnits?: number;
}

export interface ShapleyOptions {
  /** Largest number of (non-null) connectors solved exactly; above it, permutation sampling. Default 16, at most 20. */
  exactLimit?: number;
  /** Permutations drawn when sampling. Default 20 000. */
  permutations?: number;
  /** Confidence of the reported sampling error bound, in (0, 1). Default 0.99. */
  confidence?: number;
  /** Seed of the sampler, so a ledger rebuilt from the same data gets the same credit. Default 1. */
  seed?: number;
}

export interface TimeDecayOptions {
  /** Half-life h in days of the weight 2^(−Δt/h). Default 30. */
  halfLifeDays?: number;
}

export interface MarkovOptions {
  /** Chains that did not lead to an outcome; the Markov model needs them to see where journeys drop off. */
  nonConvertingChains?: readonly Chain[];
}

export type AttributionOptions = MoneyOptions & ShapleyOptions & TimeDecayOptions & MarkovOptions;

export type ChainStatus = "COMPLETE" | "INELIGIBLE" | "DUPLICATE" | "EMPTY";

/** What the engine made of one chain it was given. */
export interface ChainReport {
  /** Position of the chain in the input. */
  index: number;
  introductionIds: string[];
  connectorIds: string[];
  status: ChainStatus;
  /** Why the chain earns nothing, e.g. "introduction i7 is disputed"; empty for complete chains. */
  reasons: string[];
}

/** Per-connector evidence behind the credit, one variant per kind of model. */
export type CreditBasis =
  | {
      model: "SHAPLEY";
      method: "EXACT";
      /** Coalitions of the other connectors that open the door with this connector and not without. */
      pivotalCoalitions: number;
      /** All coalitions of the other connectors: 2^(n−1). */
      coalitions: number;
      /** Pivotal coalitions by size |S|; each weighs |S|!(n−|S|−1)!/n!. */
      pivotalBySize: number[];
      /** The Shapley share as a reduced fraction, e.g. "1/3". */
      fraction: string;
    }
  | {
      model: "SHAPLEY";
      method: "SAMPLED";
      /** Sampled orderings in which this connector completed the first complete chain. */
      pivotalPermutations: number;
      permutations: number;
    }
  | {
      model: "LINEAR" | "FIRST_TOUCH" | "LAST_TOUCH" | "POSITION_BASED" | "TIME_DECAY";
      touches: TouchWeight[];
    }
  | {
      model: "MARKOV";
      /** Relative drop in conversion probability when this connector is removed. */
      removalEffect: number;
      conversionWithout: number;
    };

export interface TouchWeight {
  chainIndex: number;
  introductionId: string;
  /** Share of the chain's weight this touch earns, as a decimal string. */
  weightInChain: string;
  /** Days from the touch to the outcome (time decay only). */
  daysBeforeOutcome?: number;
}

export interface ConnectorCredit {
  connectorId: string;
  /** Fraction of the outcome value, for display. */
  share: number;
  /** The same fraction as a decimal string (30 decimal places at most, rounded half-even; exact when it terminates). */
  shareDecimal: string;
  /** Money, with exactly `minorUnits` decimals; the amounts of an allocation sum to the value. */
  amount: string;
  basis: CreditBasis;
  /** One sentence a person can read. */
  note: string;
}

export interface ShapleyMethodReport {
  method: "EXACT" | "SAMPLED";
  /** Connectors that can be pivotal (on some minimal complete chain); the others are null players. */
  players: number;
  permutations?: number;
  /** Sampling only: every share is within ±errorBound of the exact Shapley share with probability ≥ confidence. */
  errorBound?: number;
  confidence?: number;
  seed?: number;
}

export interface Allocation {
  outcomeId: string;
  model: CreditModel;
  status: "ALLOCATED" | "NO_ELIGIBLE_CHAIN";
  currency: string;
  /** The outcome value with exactly `minorUnits` decimals. */
  value: string;
  minorUnits: number;
  /** Value left unallocated: the whole value when no chain is eligible, else zero. */
  unallocated: string;
  /** Sorted by amount (largest first), then connector id. */
  credits: ConnectorCredit[];
  chains: ChainReport[];
  shapley?: ShapleyMethodReport;
  summary: string;
}
