/**
 * Makes the children of `perpwatch start` (Ponder and the worker) stop when it dies.
 *
 * Why: Ctrl-C reaches the whole process group and `perpwatch start` stops everything in
 * order, but `kill -9` of it (or the OOM killer) leaves its children running — Ponder holding
 * its port and the PGlite directory, the worker delivering alerts, anvil mining blocks. So
 * `start` gives each child `PERPWATCH_PARENT_PID`; the child checks every second that the
 * process is still its parent and, once it is not, sends itself SIGTERM, so it shuts down the
 * normal way (flushes, closes its database); a detached reaper SIGKILLs it if that takes
 * longer than `graceMs`, and once it is gone stops the processes named in
 * `PERPWATCH_STOP_WITH_PARENT` (the devnet's anvil, a binary that cannot watch anything).
 * A parent whose child has nothing to flush (`perpwatch serve`'s read-only `ponder serve`)
 * asks for a faster check and no grace: a replica left half-dead holds its clients' sockets
 * open for the whole grace, and a load balancer or a worker keeps waiting on it.
 * Without `PERPWATCH_PARENT_PID` (a child started some other way) it does nothing.
 */

import { spawn } from "node:child_process";

/** Environment keys `perpwatch start` sets for its children. */
export const PARENT_PID_ENV = "PERPWATCH_PARENT_PID";
export const STOP_WITH_PARENT_ENV = "PERPWATCH_STOP_WITH_PARENT";
export const PARENT_CHECK_MS_ENV = "PERPWATCH_PARENT_CHECK_MS";
export const PARENT_GRACE_MS_ENV = "PERPWATCH_PARENT_GRACE_MS";

/** How often the child looks for its parent, and how long its own shutdown may take. */
export interface OrphanTiming {
  checkMs?: number;
  graceMs?: number;
}

/** The environment a child needs to stop with this process, and to stop `siblings` too. */
export function orphanGuardEnv(
  siblings: readonly number[] = [],
  timing: OrphanTiming = {},
): Record<string, string> {
  return {
    [PARENT_PID_ENV]: String(process.pid),
    ...(siblings.length > 0 ? { [STOP_WITH_PARENT_ENV]: siblings.join(",") } : {}),
    ...(timing.checkMs !== undefined ? { [PARENT_CHECK_MS_ENV]: String(timing.checkMs) } : {}),
    ...(timing.graceMs !== undefined ? { [PARENT_GRACE_MS_ENV]: String(timing.graceMs) } : {}),
  };
}

/** A non-negative whole number of milliseconds from the environment, else `fallback`. */
function msOf(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
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
  intervalMs = msOf(env[PARENT_CHECK_MS_ENV], 1000),
  graceMs = msOf(env[PARENT_GRACE_MS_ENV], 15_000),
): () => void {
  const [parent] = pids(env[PARENT_PID_ENV]);
  if (parent === undefined) return () => {};
  const timer = setInterval(() => {
    // Reparented (the usual sign), or gone: a killed parent can linger as a zombie that
    // `kill(pid, 0)` still finds when nothing reaps it.
    if (process.ppid === parent && alive(parent)) return;
    clearInterval(timer);
    startReaper(process.pid, graceMs, pids(env[STOP_WITH_PARENT_ENV]));
    process.kill(process.pid, graceMs === 0 ? "SIGKILL" : "SIGTERM");
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A detached shell that waits for `pid` to exit (SIGKILL after `graceMs`), then stops
 * `siblings`. Why outside the process: a shutdown can block its own event loop for good —
 * Ponder's logger waits synchronously on a worker thread writing to the dead parent's pipe —
 * so no timer in the process would ever fire; and the siblings must outlive it, since
 * Ponder's shutdown waits for its requests to the node.
 */
function startReaper(pid: number, graceMs: number, siblings: readonly number[]): void {
  const ticks = Math.max(1, Math.ceil(graceMs / 200));
  const script = [
    "n=0",
    `while kill -0 ${pid} 2>/dev/null && [ $n -lt ${ticks} ]; do sleep 0.2; n=$((n+1)); done`,
    `kill -9 ${pid} 2>/dev/null`,
    ...(siblings.length > 0 ? [`kill -TERM ${siblings.join(" ")} 2>/dev/null`] : []),
    "exit 0",
  ].join("; ");
  spawn("sh", ["-c", script], { detached: true, stdio: "ignore" }).unref();
}
