/**
 * Depth limit: a validation rule that rejects operations nested deeper than `maxDepth`.
 *
 * Why: every level of nesting can multiply the work (accounts → trades → market → …), and a
 * deep query is almost always a mistake or an attack. Depth counts nested fields from the
 * operation's root field (depth 1) down to the deepest leaf (`{ market { params { imrMin } } }`
 * is 3), follows fragment spreads and inline fragments, and leaves introspection (`__schema`,
 * `__type`, `__typename`) out of that count: introspection has a limit of its own, counted with
 * every field, deep enough for GraphiQL's and codegen's introspection query (14 levels, its
 * `ofType` chain) and no deeper, since `__type { fields { type { fields { type … } } } }` can
 * otherwise repeat without end.
 */
import type {
  ASTVisitor,
  FragmentDefinitionNode,
  SelectionSetNode,
  ValidationContext,
} from "graphql";
import { ErrorCode } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";

/** Nesting introspection may reach, counting every field (GraphiQL's query is 14 deep). */
export const MAX_INTROSPECTION_DEPTH = 15;

/**
 * Depth of a selection set (0 for none); fragments visited at most once per path. Fields named
 * `__…` are skipped unless `introspection` is set, when every field counts.
 */
export function selectionDepth(
  set: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  visiting: Set<string> = new Set(),
  introspection = false,
): number {
  if (!set) return 0;
  let max = 0;
  const depthOf = (inner: SelectionSetNode | undefined) =>
    selectionDepth(inner, fragments, visiting, introspection);
  for (const sel of set.selections) {
    if (sel.kind === gql.Kind.FIELD) {
      if (!introspection && sel.name.value.startsWith("__")) continue;
      max = Math.max(max, 1 + depthOf(sel.selectionSet));
    } else if (sel.kind === gql.Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet));
    } else {
      const name = sel.name.value;
      const frag = fragments[name];
      if (!frag || visiting.has(name)) continue; // unknown or cyclic: other rules report it
      visiting.add(name);
      max = Math.max(max, depthOf(frag.selectionSet));
      visiting.delete(name);
    }
  }
  return max;
}

export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const def of context.getDocument().definitions) {
        if (def.kind === gql.Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
      }
      const depth = selectionDepth(node.selectionSet, fragments);
      const withIntrospection = selectionDepth(node.selectionSet, fragments, new Set(), true);
      const maxAll = Math.max(maxDepth, MAX_INTROSPECTION_DEPTH);
      const message =
        depth > maxDepth
          ? `query depth ${depth} exceeds the limit of ${maxDepth} nested fields`
          : withIntrospection > maxAll
            ? `introspection depth ${withIntrospection} exceeds the limit of ${maxAll} nested fields`
            : null;
      if (message) {
        context.reportError(
          new gql.GraphQLError(message, {
            nodes: [node],
            extensions: { code: ErrorCode.QUERY_TOO_DEEP },
          }),
        );
      }
    },
  });
}
