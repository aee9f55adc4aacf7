/** Every rule kind by name: the registry the evaluator and the config validator share. */
import type { RuleKind } from "../config/ruleSchema.js";
import { accountNearLiquidation, oiConcentration } from "./accountKinds.js";
import {
  adlLikely,
  cascadeAmplification,
  insuranceCoverage,
  liquidatableNearMark,
  varBadDebt,
} from "./cascadeKinds.js";
import {
  fundingExtreme,
  insuranceFundDrawdown,
  liquidationBurst,
  skewExtreme,
} from "./flowKinds.js";
import { indexerLag, mirrorDivergence, oracleJump, oracleStale } from "./healthKinds.js";
import type { KindSpec } from "./kindSpec.js";

export const KINDS: { [K in RuleKind]: KindSpec<K> } = {
  cascade_amplification: cascadeAmplification,
  liquidatable_near_mark: liquidatableNearMark,
  insurance_coverage: insuranceCoverage,
  adl_likely: adlLikely,
  liquidation_burst: liquidationBurst,
  insurance_fund_drawdown: insuranceFundDrawdown,
  funding_extreme: fundingExtreme,
  skew_extreme: skewExtreme,
  account_near_liquidation: accountNearLiquidation,
  oi_concentration: oiConcentration,
  oracle_stale: oracleStale,
  oracle_jump: oracleJump,
  mirror_divergence: mirrorDivergence,
  indexer_lag: indexerLag,
  var_bad_debt: varBadDebt,
};

// biome-ignore lint/suspicious/noExplicitAny: the registry is indexed by a rule's own kind.
export function kindOf(kind: RuleKind): KindSpec<any> {
  return KINDS[kind];
}
