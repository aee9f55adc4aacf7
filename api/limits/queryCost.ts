/**
 * Query cost: an estimate of the work an operation asks for, computed before it runs, with the
 * variables it came with, so that one request cannot ask for a million rows or a hundred
 * cascades.
 *
 * Why an estimate and not a count: the real work is known only afterwards. The model is
 * simple and errs on the side of the worst case: every object costs 1 (scalars are free), a list
 * multiplies that and the cost of what is selected inside it by the most rows it can return (its
 * `first`/`last` argument, the number of markets, the bins a ladder will have …), and analytics
 * fields add a base cost for the computation behind them. A request whose cost exceeds the
 * limit is refused with `QUERY_TOO_COSTLY` and the figure, so a client can see what to trim.
 */
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  SelectionSetNode,
} from "graphql";
import { gql } from "../http/graphqlRealm.js";
import { MAX_PAGE_SIZE } from "../pagination/cursor.js";

export interface CostOptions {
  /** How many markets a list of markets (or positions, or moves) can hold. */
  marketCount: number;
}

type Args = Record<string, unknown>;

const num = (v: unknown, fallback: number): number =>
  typeof v === "number" && Number.isFinite(v) ? v : fallback;

/** Price steps of every VaR path (the engine's default: hourly over one day). */
const VAR_STEPS = 24;
/** Shocks of the default stress grid. */
const DEFAULT_SHOCKS = 40;

const shockCount = (a: Args) => (Array.isArray(a.shocks) ? a.shocks.length : DEFAULT_SHOCKS);

/** Bins of a ladder over ±range in steps of `step` (what the engine computes). */
export function ladderBins(range: number, step: number): number {
  return step > 0 ? 2 * Math.ceil(range / step) + 1 : 1;
}

/**
 * Extra cost of computing a field itself (analytics), by `Type.field`, in proportion to its real
 * work: simulated path steps for VaR, shocks (each a cascade of up to 20 rounds) for a stress
 * grid, bins for a ladder, rounds for a cascade. Calibrated on a 600-account book: about one
 * unit per 0.1 ms of computation (VaR at 20,000 paths ≈ 0.8–1 s ≈ 9,600), so the default limit
 * of 50,000 lets one request ask for about five seconds of analytics, aliases included — every
 * alias is priced, twenty `varLar(paths: 20000)` cost 192,000.
 */
const BASE: Record<string, (args: Args) => number> = {
  "Query.riskSummary": () => 10,
  "Subscription.riskSummary": () => 10,
  "Query.liquidationLadder": (a) =>
    20 + Math.ceil(ladderBins(num(a.range, 0.5), num(a.step, 0.005)) / 5),
  "Query.cascade": (a) => 20 + 10 * Math.min(Math.max(num(a.maxRounds, 20), 1), 100),
  "Query.stress": (a) => 20 + 35 * shockCount(a),
  "Query.varLar": (a) =>
    Math.ceil((Math.min(Math.max(num(a.paths, 10_000), 100), 20_000) * VAR_STEPS) / 50),
  "InsuranceFund.coverage": () => 20 + 35 * DEFAULT_SHOCKS,
  "Query.mirrorStatus": () => 5,
  "Query.indexingStatus": () => 2,
};

/**
 * How many items a list field returns at most, by `Type.field`, from its own arguments and
 * its parent field's (a ladder's bins depend on the ladder's range and step).
 */
const MULTIPLIER: Record<string, (args: Args, parent: Args, o: CostOptions) => number> = {
  "Query.markets": (_a, _p, o) => o.marketCount,
  "Account.positions": (_a, _p, o) => o.marketCount,
  "CascadeResult.finalMoves": (_a, _p, o) => o.marketCount,
  "CascadeRound.moves": (_a, _p, o) => o.marketCount,
  "CascadeResult.rounds": (_a, p) => num(p.maxRounds, 20),
  "Market.fundingHistory": (a) => Math.min(num(a.last, 168), MAX_PAGE_SIZE),
  "LiquidationLadder.bins": (_a, p) => ladderBins(num(p.range, 0.5), num(p.step, 0.005)),
  "StressGrid.points": (_a, p) => shockCount(p),
};

function collectFragments(doc: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = {};
  for (const def of doc.definitions) {
    if (def.kind === gql.Kind.FRAGMENT_DEFINITION) out[def.name.value] = def;
  }
  return out;
}

/**
 * The estimated cost of the operation `operationName` (or the only one) of `document` with
 * `variables`. Unknown fields or bad arguments cost nothing here: validation and execution
 * report those.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Args | undefined,
  operationName: string | undefined,
  options: CostOptions,
): number {
  const op = gql.getOperationAST(document, operationName);
  if (!op) return 0;
  const root =
    op.operation === "query"
      ? schema.getQueryType()
      : op.operation === "subscription"
        ? schema.getSubscriptionType()
        : schema.getMutationType();
  if (!root) return 0;
  const fragments = collectFragments(document);
  // Variables as execution will see them; if they do not coerce, execution reports that.
  const coerced = gql.getVariableValues(schema, op.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return 0;
  const vars = coerced.coerced;

  const argsOf = (def: GraphQLField<unknown, unknown>, node: FieldNode): Args => {
    try {
      return gql.getArgumentValues(def, node, vars) as Args;
    } catch {
      return {};
    }
  };

  const walk = (
    set: SelectionSetNode | undefined,
    type: GraphQLObjectType,
    parentArgs: Args,
    seen: Set<string>,
  ): number => {
    if (!set) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === gql.Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (gql.isObjectType(cond)) total += walk(sel.selectionSet, cond, parentArgs, seen);
        continue;
      }
      if (sel.kind === gql.Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        const cond = schema.getType(frag.typeCondition.name.value);
        if (!gql.isObjectType(cond)) continue;
        seen.add(frag.name.value);
        total += walk(frag.selectionSet, cond, parentArgs, seen);
        seen.delete(frag.name.value);
        continue;
      }
      const name = sel.name.value;
      if (name.startsWith("__")) continue;
      const def = type.getFields()[name];
      if (!def) continue;
      const key = `${type.name}.${name}`;
      const args = argsOf(def, sel);
      const named = gql.getNamedType(def.type);
      const perRow = gql.isObjectType(named) ? 1 : 0;
      let mult = MULTIPLIER[key]?.(args, parentArgs, options);
      // A page never holds more than MAX_PAGE_SIZE rows: a larger `first` is refused by the
      // field itself, with a message about the page size rather than the cost.
      if (mult === undefined && typeof args.first === "number")
        mult = Math.min(args.first, MAX_PAGE_SIZE);
      mult = Math.max(1, Math.min(mult ?? 1, 1e9));
      const inner = gql.isObjectType(named) ? walk(sel.selectionSet, named, args, seen) : 0;
      total += (BASE[key]?.(args) ?? 0) + mult * (perRow + inner);
    }
    return total;
  };

  return walk(op.selectionSet, root, {}, new Set());
}
