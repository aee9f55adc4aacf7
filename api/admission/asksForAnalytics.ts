/**
 * Whether a POSTed GraphQL body asks for a field computed through the analytics queue
 * (admissionQueue.ts): a ladder, a cascade, a stress grid, VaR or the insurance fund's coverage.
 *
 * Why before GraphQL: under a burst of such requests, parsing, validating and pricing each one
 * on the API's thread before the queue refuses it stalled every other request for seconds
 * (issue 21). This check costs a regular expression for a body that names none of the fields,
 * and a parse of the query (no validation) for one that does; the route runs the first as a
 * request arrives and the second only when the analytics queue is full (analyticsIntake.ts). Field names, not aliases, are what count; a
 * body that is not valid JSON or GraphQL is left to yoga to refuse.
 */
import type { DocumentNode, SelectionSetNode } from "graphql";
import { gql } from "../http/graphqlRealm.js";

/** Root fields computed through the queue (api/resolvers/query.ts). */
const ROOT_FIELDS = new Set(["liquidationLadder", "cascade", "stress", "varLar"]);
/** Fields at any depth computed through it (`InsuranceFund.coverage`). */
const NESTED_FIELDS = new Set(["coverage"]);

const MENTIONS = new RegExp(`\\b(${[...ROOT_FIELDS, ...NESTED_FIELDS].join("|")})\\b`);

/**
 * Whether the body may ask for analytics: it names one of the fields somewhere. A regular
 * expression, so it can run on every request as it arrives; `asksForAnalytics` decides.
 */
export function mayAskForAnalytics(body: string): boolean {
  return MENTIONS.test(body);
}

export function asksForAnalytics(body: string): boolean {
  if (!MENTIONS.test(body)) return false;
  let query: unknown;
  try {
    query = (JSON.parse(body) as { query?: unknown } | null)?.query;
  } catch {
    return false;
  }
  if (typeof query !== "string" || !MENTIONS.test(query)) return false;
  let doc: DocumentNode;
  try {
    doc = gql.parse(query, { noLocation: true });
  } catch {
    return false;
  }
  return documentAsksForAnalytics(doc);
}

/** Whether any operation of `doc` selects one of the fields (fragments followed). */
export function documentAsksForAnalytics(doc: DocumentNode): boolean {
  const fragments = new Map<string, SelectionSetNode>();
  for (const def of doc.definitions) {
    if (def.kind === gql.Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet);
  }
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode, root: boolean): boolean =>
    set.selections.some((s) => {
      if (s.kind === gql.Kind.FIELD) {
        const name = s.name.value;
        if ((root && ROOT_FIELDS.has(name)) || NESTED_FIELDS.has(name)) return true;
        return s.selectionSet ? visit(s.selectionSet, false) : false;
      }
      if (s.kind === gql.Kind.INLINE_FRAGMENT) return visit(s.selectionSet, root);
      const name = s.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(`${name}|${root}`)) return false;
      seen.add(`${name}|${root}`);
      return visit(fragment, root);
    });
  return doc.definitions.some(
    (def) => def.kind === gql.Kind.OPERATION_DEFINITION && visit(def.selectionSet, true),
  );
}
