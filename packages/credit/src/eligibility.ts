// Which intro chains can earn credit. The rule, applied the same way by every model:
//
// - An introduction (touch) is eligible when it is consented (both sides opted in) and not disputed.
// - A chain is complete when it has at least one touch and every touch on it is eligible. A chain with any
//   ineligible touch is dropped whole — a chain with a broken link did not demonstrably open the door — so none of
//   its connectors earn anything through it (they may still earn through other complete chains).
// - Identical chains (the same introduction ids in the same order) count once.
// - Players are the distinct connectors on complete chains; with no complete chain there is nothing to allocate.
import type { Chain, ChainReport, Touch } from "./types.ts";

export interface CompleteChain {
  /** Position of the chain in the input. */
  index: number;
  touches: Chain;
}

export interface ChainReview {
  reports: ChainReport[];
  complete: CompleteChain[];
}

export function isEligibleTouch(touch: Touch): boolean {
  return touch.consented && !touch.disputed;
}

export function reviewChains(chains: readonly Chain[]): ChainReview {
  const reports: ChainReport[] = [];
  const complete: CompleteChain[] = [];
  const seen = new Map<string, number>();

  chains.forEach((touches, index) => {
    const introductionIds = touches.map((touch) => touch.introductionId);
    const report: ChainReport = {
      index,
      introductionIds,
      connectorIds: touches.map((touch) => touch.connectorId),
      status: "COMPLETE",
      reasons: [],
    };
    reports.push(report);

    if (touches.length === 0) {
      report.status = "EMPTY";
      report.reasons.push("the chain has no introductions");
      return;
    }
    for (const touch of touches) {
      if (!touch.consented) report.reasons.push(`introduction ${touch.introductionId} is not consented`);
      if (touch.disputed) report.reasons.push(`introduction ${touch.introductionId} is disputed`);
    }
    if (report.reasons.length > 0) {
      report.status = "INELIGIBLE";
      return;
    }
    // JSON quoting keeps ids that contain commas apart.
    const key = JSON.stringify(introductionIds);
    const first = seen.get(key);
    if (first !== undefined) {
      report.status = "DUPLICATE";
      report.reasons.push(`the same introductions as chain ${first}`);
      return;
    }
    seen.set(key, index);
    complete.push({ index, touches });
  });

  return { reports, complete };
}

/** Distinct connectors on the given chains, in order of first appearance. */
export function connectorsOf(chains: readonly CompleteChain[]): string[] {
  const connectors = new Set<string>();
  for (const chain of chains) for (const touch of chain.touches) connectors.add(touch.connectorId);
  return [...connectors];
}
