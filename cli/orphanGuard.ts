/**
 * Makes the children of `perpwatch start` (Ponder and the worker) stop when it dies.
 *
 * Why: Ctrl-C reaches the whole process group and `perpwatch start` stops everything in
 * order, but `kill -9` of it (or the OOM killer) leaves its children running — Ponder holding
 * its port and the PGlite directory, the worker delivering alerts, anvil mining blocks. So
 * `start` gives each child `PERPWATCH_PARENT_PID`; the child checks every second that the
 * process is still its parent and, once it is not, sends itself SIGTERM, so it shuts down the
 * normal way (flushes, closes its database); if that takes longer than `graceMs`, SIGKILL.
 * The processes named in `PERPWATCH_STOP_WITH_PARENT` (the devnet's anvil, a binary that
 * cannot watch anything) are stopped when the child exits, not before (Ponder's shutdown
 * waits for its requests to the node), and at the SIGKILL deadline. Every child gets them:
 * a child that dies of its own signal runs no exit hook, and another child then still stops
 * them; a Ponder left waiting for a stopped node is SIGKILLed at its deadline.
 * Without `PERPWATCH_PARENT_PID` (a child started some other way) it does nothing.
 */

/** Environment keys `perpwatch start` sets for its children. */
export const PARENT_PID_ENV = "PERPWATCH_PARENT_PID";
export const STOP_WITH_PARENT_ENV = "PERPWATCH_STOP_WITH_PARENT";

/** The environment a child needs to stop with this process, and to stop `siblings` too. */
export function orphanGuardEnv(siblings: readonly number[] = []): Record<string, string> {
  return {
    [PARENT_PID_ENV]: String(process.pid),
    ...(siblings.length > 0 ? { [STOP_WITH_PARENT_ENV]: siblings.join(",") } : {}),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function pids(raw: string | undefined): number[] {
  return (raw ?? "")
    .split(",")
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 1);
}

/**
 * Starts watching the parent named in the environment (no-op without one). Returns a stop
 * function. The timer does not keep the process alive.
 */
export function guardAgainstOrphaning(
  env: Readonly<Record<string, string | undefined>> = process.env,
  intervalMs = 1000,
  graceMs = 15_000,
): () => void {
  const [parent] = pids(env[PARENT_PID_ENV]);
  if (parent === undefined) return () => {};
  const stopSiblings = () => {
    for (const pid of pids(env[STOP_WITH_PARENT_ENV])) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  const timer = setInterval(() => {
    // Reparented (the usual sign), or gone: a killed parent can linger as a zombie that
    // `kill(pid, 0)` still finds when nothing reaps it.
    if (process.ppid === parent && alive(parent)) return;
    clearInterval(timer);
    process.once("exit", stopSiblings);
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => {
      stopSiblings();
      process.kill(process.pid, "SIGKILL");
    }, graceMs).unref();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
