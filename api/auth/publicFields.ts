/**
 * The public tier: the root fields a caller may read without a key when the anonymous tier is
 * `public` — the exchange as a whole (markets, prices, funding, the insurance fund, the risk
 * summary, indexing status) and nothing that names an account or maps where accounts get
 * liquidated (accounts, positions, trades, liquidations, ladders, cascades, stress, VaR).
 *
 * Why an allow-list of root fields: every field below a public root describes the exchange,
 * not an account, so the root decides; a field added to the schema later is private until it is
 * listed here. Checked on the operation about to run (after parsing and validation, which yoga
 * caches per document whoever asks), so a cached validation cannot let it through.
 */
import type { DocumentNode, OperationDefinitionNode, SelectionSetNode } from "graphql";

export const PUBLIC_ROOT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  query: new Set([
    "exchanges",
    "markets",
    "market",
    "insuranceFund",
    "riskSummary",
    "indexingStatus",
    "__typename",
    "__schema",
    "__type",
  ]),
  subscription: new Set(["riskSummary"]),
};

function operationOf(doc: DocumentNode, name?: string | null): OperationDefinitionNode | null {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === "OperationDefinition",
  );
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? ops[0]! : null;
}

/** Root field names a selection set reaches (through fragments, once each). */
function rootFields(doc: DocumentNode, set: SelectionSetNode, seen = new Set<string>()): string[] {
  const out: string[] = [];
  for (const s of set.selections) {
    if (s.kind === "Field") out.push(s.name.value);
    else if (s.kind === "InlineFragment") out.push(...rootFields(doc, s.selectionSet, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const frag = doc.definitions.find(
        (d) => d.kind === "FragmentDefinition" && d.name.value === s.name.value,
      );
      if (frag && frag.kind === "FragmentDefinition") {
        out.push(...rootFields(doc, frag.selectionSet, seen));
      }
    }
  }
  return out;
}

/** The root fields of the operation outside the public tier (empty: all public). */
export function privateRootFields(doc: DocumentNode, operationName?: string | null): string[] {
  const op = operationOf(doc, operationName);
  if (!op) return [];
  const allowed = PUBLIC_ROOT_FIELDS[op.operation] ?? new Set<string>();
  return [...new Set(rootFields(doc, op.selectionSet))].filter((f) => !allowed.has(f));
}
