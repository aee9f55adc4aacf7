/** An error the user caused (bad flag, bad config): printed as one line, never a stack. */
export class UsageError extends Error {
  override name = "UsageError";
}
