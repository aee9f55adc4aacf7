/**
 * Depth limit: a validation rule that rejects operations nested deeper than `maxDepth`.
 *
 * Why: every level of nesting can multiply the work (accounts → trades → market → …), and a
 * deep query is almost always a mistake or an attack. Depth counts nested fields from the
 * operation's root field (depth 1) down to the deepest leaf (`{ market { params { imrMin } } }`
 * is 3), follows fragment spreads and inline fragments, and ignores
 * introspection (`__schema`, `__type`, `__typename`), which the token limit already bounds.
 */
import type {
  ASTVisitor,
  FragmentDefinitionNode,
  SelectionSetNode,
  ValidationContext,
} from "graphql";
import { ErrorCode } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";

/** Depth of a selection set (0 for none); fragments visited at most once per path. */
export function selectionDepth(
  set: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  visiting: Set<string> = new Set(),
): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === gql.Kind.FIELD) {
      if (sel.name.value.startsWith("__")) continue;
      max = Math.max(max, 1 + selectionDepth(sel.selectionSet, fragments, visiting));
    } else if (sel.kind === gql.Kind.INLINE_FRAGMENT) {
      max = Math.max(max, selectionDepth(sel.selectionSet, fragments, visiting));
    } else {
      const name = sel.name.value;
      const frag = fragments[name];
      if (!frag || visiting.has(name)) continue; // unknown or cyclic: other rules report it
      visiting.add(name);
      max = Math.max(max, selectionDepth(frag.selectionSet, fragments, visiting));
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
      if (depth > maxDepth) {
        context.reportError(
          new gql.GraphQLError(
            `query depth ${depth} exceeds the limit of ${maxDepth} nested fields`,
            { nodes: [node], extensions: { code: ErrorCode.QUERY_TOO_DEEP } },
          ),
        );
      }
    },
  });
}
