/**
 * Every GraphQL document the alert worker sends, in one place, against the API's
 * `schema.graphql`. When the schema moves, this file and `apiSource.ts` change; nothing else.
 *
 * Every document but `EXCHANGES` reads one exchange: it declares `$exchange: ID!` and passes
 * it to each root field (the API refuses an omitted `exchange` when it indexes several).
 *
 * Queries are built from what the due rules need (`ObservationNeeds`), so a block-path
 * evaluation does not pay for the stress grid and a cron run of the stress rules does not
 * fetch accounts. Per-market and per-shock fields use aliases, a few per request (the API
 * limits aliases per document), and the requests run in parallel.
 */
import type { ObservationNeeds } from "../observation.js";

const WITHIN = "liquidatableWithin { pct1 pct3 pct5 pct10 }";
const CASCADE = "amplification liquidatedNotional liquidatedAccounts badDebt adlTriggered";

/** Every exchange the API indexes, and its chain (whose block hashes an RPC can give). */
export const EXCHANGES = "query PerpwatchAlertsExchanges { exchanges { id chainId } }";

const EX = "exchange: $exchange";

/** The core document: the block, and every exchange-wide section the needs ask for. */
export function coreQuery(needs: ObservationNeeds): string {
  const parts = [
    `riskSummary(${EX}) { block timestamp${needs.exchange ? ` openInterestUsd accountsAtRisk insuranceFund pendingBadDebt amplificationAt10 adlLikely maxAbsFundingRate ${WITHIN}` : ""} }`,
  ];
  if (needs.indexing)
    parts.push(`indexingStatus(${EX}) { chainHead indexedBlock lagBlocks lagSeconds live }`);
  if (needs.markets || needs.marketRisk || needs.marketShocks.length > 0) {
    parts.push(
      `markets(${EX}) { id symbol price priceTime openInterestUsd skewRatio pendingBadDebt funding { rateNow velocity } }`,
    );
  }
  if (needs.liquidationWindowMs > 0) {
    parts.push(
      `liquidations(${EX}, first: $liquidations, after: $after) { edges { node { id accountId notional badDebt insuranceCovered blockNumber timestamp } } pageInfo { hasNextPage endCursor } }`,
    );
  }
  if (needs.topAccounts > 0) {
    parts.push(
      `accounts(${EX}, orderBy: NOTIONAL_DESC, first: $top) { edges { node { id marginRatio notional equity liquidatable positions { market { id } notional } } } }`,
    );
  }
  if (needs.mirror) parts.push(`mirrorStatus(${EX}, first: 1) { eventsChecked divergenceCount }`);
  const vars = [
    "$exchange: ID!",
    needs.liquidationWindowMs > 0 ? "$liquidations: Int!, $after: String" : "",
    needs.topAccounts > 0 ? "$top: Int!" : "",
  ].filter((v) => v !== "");
  return `query PerpwatchAlerts(${vars.join(", ")}) { ${parts.join(" ")} }`;
}

/** More liquidations, when the window reaches past the first page. */
export const LIQUIDATIONS_PAGE =
  "query PerpwatchAlertsLiquidations($exchange: ID!, $liquidations: Int!, $after: String) { liquidations(exchange: $exchange, first: $liquidations, after: $after) { edges { node { id accountId notional badDebt insuranceCovered blockNumber timestamp } } pageInfo { hasNextPage endCursor } } }";

export const INDEXED_BLOCK =
  "query PerpwatchAlertsBlock($exchange: ID!) { indexingStatus(exchange: $exchange) { indexedBlock } }";

/** The new-block subscription (server-sent events): one event per indexed block of one exchange. */
export const NEW_BLOCK_SUBSCRIPTION =
  "subscription PerpwatchAlertsBlocks($exchange: ID!) { riskSummary(exchange: $exchange) { block } }";

/** One aliased field of the per-market/per-shock documents. */
export interface AliasedField {
  alias: string;
  field: string;
}

const num = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

/** Per-market and per-shock fields, each with an alias the answer is read back by. */
export function analyticsFields(
  needs: ObservationNeeds,
  marketIds: readonly string[],
): AliasedField[] {
  const out: AliasedField[] = [];
  for (const id of marketIds) {
    if (needs.marketRisk) {
      out.push({
        alias: `risk_${id}`,
        field: `riskSummary(${EX}, marketId: "${id}") { ${WITHIN} }`,
      });
    }
    needs.marketShocks.forEach((shock, i) => {
      out.push({
        alias: `cascade_${id}_${i}`,
        field: `cascade(${EX}, shock: { marketId: "${id}", move: ${num(shock)} }) { ${CASCADE} }`,
      });
    });
  }
  needs.correlatedShocks.forEach((shock, i) => {
    out.push({
      alias: `correlated_${i}`,
      field: `cascade(${EX}, shock: { move: ${num(shock)} }) { ${CASCADE} }`,
    });
  });
  if (needs.stress) {
    out.push({
      alias: "stress",
      field: `stress(${EX}, shocks: [${needs.stress.shocks.map(num).join(", ")}], withImpact: ${needs.stress.withImpact}) { points { shock liquidatedNotional badDebt uncoveredBadDebt amplification } }`,
    });
  }
  if (needs.varLar) {
    out.push({
      alias: "varLar",
      field: `varLar(${EX}, paths: ${needs.varLar.paths}, seed: ${needs.varLar.seed}) { paths seed badDebtVar95 badDebtVar99 liquidationsLar95 liquidationsLar99 }`,
    });
  }
  return out;
}

/** Groups aliased fields into documents of at most `perDocument` aliases. */
export function analyticsDocuments(fields: readonly AliasedField[], perDocument = 8): string[] {
  const docs: string[] = [];
  for (let i = 0; i < fields.length; i += perDocument) {
    const chunk = fields.slice(i, i + perDocument);
    docs.push(
      `query PerpwatchAlertsAnalytics($exchange: ID!) { ${chunk.map((f) => `${f.alias}: ${f.field}`).join(" ")} }`,
    );
  }
  return docs;
}

const HISTORY_LIQUIDATION = "id accountId notional badDebt insuranceCovered blockNumber timestamp";
const PAGE = "pageInfo { hasNextPage endCursor }";

/** Catch-up: liquidations up to a block, newest first (paged back to the window's start). */
export const HISTORY_LIQUIDATIONS = `query PerpwatchAlertsCatchUpLiquidations($exchange: ID!, $to: BigInt!, $first: Int!, $after: String) { liquidations(exchange: $exchange, toBlock: $to, first: $first, after: $after) { edges { node { ${HISTORY_LIQUIDATION} } } ${PAGE} } }`;

/** Catch-up: ADL fills within the missed blocks (bad debt they absorbed), newest first. */
export const HISTORY_ADL = `query PerpwatchAlertsCatchUpAdl($exchange: ID!, $from: BigInt!, $to: BigInt!, $first: Int!, $after: String) { adlEvents(exchange: $exchange, fromBlock: $from, toBlock: $to, first: $first, after: $after) { edges { node { lossAbsorbed blockNumber timestamp } } ${PAGE} } }`;

/** Catch-up: the insurance fund's ledger, newest first (no block filter: paged back). */
export const HISTORY_LEDGER = `query PerpwatchAlertsCatchUpLedger($exchange: ID!, $first: Int!, $after: String) { insuranceFund(exchange: $exchange) { ledger(first: $first, after: $after) { edges { node { delta balance blockNumber timestamp } } ${PAGE} } } }`;
