/**
 * How a foreground Perpwatch process (`perpwatch devnet`, `perpwatch worker`, `perpwatch
 * start`) stops on Ctrl-C or a SIGTERM: once, in order, saying what it stops.
 *
 * Why one module: every command that runs something long-lived needs the same handling, and a
 * second Ctrl-C (a terminal signals the whole process group, and impatient users press it
 * twice) must not start a second, overlapping stop while the first is still closing children.
 */

/**
 * Runs `stop` once on the first SIGINT or SIGTERM, prints "stopped." and exits 0; a second
 * signal while stopping is ignored (the children are already being stopped).
 */
export function stopOnSignals(
  out: (line: string) => void,
  what: string,
  stop: () => Promise<void>,
): { readonly stopping: boolean } {
  let stopping = false;
  const handler = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    out(`\n${signal}: stopping ${what}…`);
    await stop();
    out("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void handler("SIGINT"));
  process.on("SIGTERM", () => void handler("SIGTERM"));
  return {
    get stopping() {
      return stopping;
    },
  };
}
