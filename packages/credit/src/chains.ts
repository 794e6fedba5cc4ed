// Builds an outcome's intro chains from the introduction DAG: an introduction's `ledFrom` names the earlier intros it
// grew out of, and a chain is a path from a root intro (one that grew out of nothing) to an intro that led directly to
// the outcome, earliest first.
import { compareIds } from "./money.ts";
import type { Chain, Touch } from "./types.ts";

export interface IntroductionRecord {
  id: string;
  connectorId: string;
  occurredAt: Date;
  consented: boolean;
  disputed: boolean;
  /** Ids of the earlier introductions this one grew out of. */
  ledFrom: readonly string[];
}

export interface BrokenLink {
  introductionId: string;
  /** The earlier intro the link names (for "(outcome)", an intro the outcome names). */
  ledFrom: string;
  /** MISSING: the earlier intro is not in the input; CYCLE: following the link would loop. Either way it is skipped. */
  reason: "MISSING" | "CYCLE";
}

export interface ChainEnumeration {
  chains: Chain[];
  /** More chains exist than `maxChains`; the first ones in the deterministic order were kept. */
  truncated: boolean;
  brokenLinks: BrokenLink[];
}

export const DEFAULT_MAX_CHAINS = 1000;

/**
 * Every root-to-outcome path through the introductions, at most `maxChains` of them. The order is deterministic:
 * direct intros and the intros each grew out of are both visited by time, then id. Links to unknown intros and links
 * that would close a cycle are skipped and reported; an intro whose every link is skipped counts as a root.
 */
export function enumerateChains(
  /** The introductions, or an index of them by id (build it once when enumerating for many outcomes). */
  introductions: readonly IntroductionRecord[] | ReadonlyMap<string, IntroductionRecord>,
  outcomeIntroductionIds: readonly string[],
  options: { maxChains?: number } = {},
): ChainEnumeration {
  const maxChains = options.maxChains ?? DEFAULT_MAX_CHAINS;
  if (!Number.isInteger(maxChains) || maxChains < 0) {
    throw new RangeError(`maxChains must be a non-negative integer, got ${maxChains}`);
  }
  const byId = Array.isArray(introductions)
    ? new Map(introductions.map((introduction) => [introduction.id, introduction]))
    : (introductions as ReadonlyMap<string, IntroductionRecord>);
  const chains: Chain[] = [];
  const brokenLinks: BrokenLink[] = [];
  const reported = new Set<string>();
  const report = (introductionId: string, ledFrom: string, reason: BrokenLink["reason"]) => {
    const key = JSON.stringify([introductionId, ledFrom, reason]);
    if (!reported.has(key)) {
      reported.add(key);
      brokenLinks.push({ introductionId, ledFrom, reason });
    }
  };
  let truncated = false;

  // Walks back from the outcome; `path` holds the intros from the current one to the outcome, latest last.
  const path: IntroductionRecord[] = [];
  const onPath = new Set<string>();
  const walk = (introduction: IntroductionRecord): void => {
    if (truncated) return;
    path.push(introduction);
    onPath.add(introduction.id);
    const earlier: IntroductionRecord[] = [];
    for (const id of new Set(introduction.ledFrom)) {
      const parent = byId.get(id);
      if (!parent) report(introduction.id, id, "MISSING");
      else if (onPath.has(id)) report(introduction.id, id, "CYCLE");
      else earlier.push(parent);
    }
    if (earlier.length === 0) {
      if (chains.length === maxChains) truncated = true;
      else chains.push(path.map(toTouch).reverse());
    } else {
      for (const parent of earlier.sort(byTimeThenId)) walk(parent);
    }
    onPath.delete(introduction.id);
    path.pop();
  };

  const direct: IntroductionRecord[] = [];
  for (const id of new Set(outcomeIntroductionIds)) {
    const introduction = byId.get(id);
    if (introduction) direct.push(introduction);
    else report("(outcome)", id, "MISSING");
  }
  for (const introduction of direct.sort(byTimeThenId)) walk(introduction);
  return { chains, truncated, brokenLinks };
}

function toTouch(introduction: IntroductionRecord): Touch {
  return {
    introductionId: introduction.id,
    connectorId: introduction.connectorId,
    occurredAt: introduction.occurredAt,
    consented: introduction.consented,
    disputed: introduction.disputed,
  };
}

function byTimeThenId(a: IntroductionRecord, b: IntroductionRecord): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || compareIds(a.id, b.id);
}
