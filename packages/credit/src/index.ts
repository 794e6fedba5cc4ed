// Public API of @intrograph/credit: attribution of an outcome's value to the connectors whose introductions led to it.
// `attribute` picks a model; the per-model functions, the chain builder and the money rules are exported as well.
//
// Eligibility: an introduction earns credit only if consented and not disputed; a chain counts only if every
// introduction on it does (see eligibility.ts). Money: exact fractions, split by largest remainder with ties to the
// lower connector id (see money.ts). README.md has the details of every model.
import { attributeShapley } from "./models/shapley.ts";
import { attributeFirstTouch, attributeLastTouch, attributeLinear, attributePositionBased } from "./models/position.ts";
import { attributeTimeDecay } from "./models/time-decay.ts";
import { attributeMarkov } from "./models/markov.ts";
import type { Allocation, AttributionOptions, CreditModel, Outcome } from "./types.ts";

export type {
  Allocation,
  AttributionOptions,
  Chain,
  ChainReport,
  ChainStatus,
  ConnectorCredit,
  CreditBasis,
  CreditModel,
  MarkovOptions,
  MoneyOptions,
  Outcome,
  ShapleyMethodReport,
  ShapleyOptions,
  TimeDecayOptions,
  Touch,
  TouchWeight,
} from "./types.ts";
export { CREDIT_MODELS } from "./types.ts";
export { attributeShapley, shapleyValues, hoeffdingBound } from "./models/shapley.ts";
export type { ShapleyValues, ShapleyConnectorValue } from "./models/shapley.ts";
export { attributeLinear, attributeFirstTouch, attributeLastTouch, attributePositionBased } from "./models/position.ts";
export { attributeTimeDecay, TIME_DECAY_HALF_LIFE_DAYS } from "./models/time-decay.ts";
export { attributeMarkov } from "./models/markov.ts";
export type { MarkovAttribution, ConnectorRemovalEffect } from "./models/markov.ts";
export { enumerateChains, DEFAULT_MAX_CHAINS } from "./chains.ts";
export type { IntroductionRecord, BrokenLink, ChainEnumeration } from "./chains.ts";
export { isEligibleTouch } from "./eligibility.ts";
export { splitByLargestRemainder, toMinorUnits, formatMinorUnits, DEFAULT_MINOR_UNITS } from "./money.ts";
export type { Claim } from "./money.ts";
export { Rational } from "./rational.ts";

/**
 * Credit for one outcome under `model` (default SHAPLEY). MARKOV reads `options.nonConvertingChains`; to rank
 * connectors across many outcomes at once, call `attributeMarkov` directly.
 */
export function attribute(
  outcome: Outcome,
  model: CreditModel = "SHAPLEY",
  options: AttributionOptions = {},
): Allocation {
  switch (model) {
    case "SHAPLEY":
      return attributeShapley(outcome, options);
    case "LINEAR":
      return attributeLinear(outcome, options);
    case "FIRST_TOUCH":
      return attributeFirstTouch(outcome, options);
    case "LAST_TOUCH":
      return attributeLastTouch(outcome, options);
    case "POSITION_BASED":
      return attributePositionBased(outcome, options);
    case "TIME_DECAY":
      return attributeTimeDecay(outcome, options);
    case "MARKOV": {
      const allocation = attributeMarkov([outcome], options.nonConvertingChains ?? [], options).allocations[0];
      if (!allocation) throw new Error("Markov attribution returned no allocation for the outcome");
      return allocation;
    }
    default: {
      const unknown: never = model;
      throw new RangeError(`Unknown credit model: ${String(unknown)}`);
    }
  }
}
