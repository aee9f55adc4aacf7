/** An error the user caused (bad flag, bad config): printed as one line, never a stack. */
import type { z } from "zod";

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Validates one flag's value with `schema`; a `UsageError` otherwise, in the one shape every
 * command uses: `option --name: what was expected (got "value")`.
 */
export function parseFlag<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new UsageError(
      `option ${name}: ${r.error.issues[0]?.message} (got ${JSON.stringify(value)})`,
    );
  }
  return r.data;
}
