/**
 * Reading and stopping the child processes Perpwatch runs beside itself: anvil (devnet/anvil.ts),
 * Ponder (indexer/runPonder.ts) and the worker under `perpwatch start` (cli/startCommand.ts).
 *
 * Why one module: each of them read its child's output as whole lines kept in a short tail for
 * error messages, stopped it the same way (SIGTERM, SIGKILL after a grace period, done when the
 * process is gone) and killed it if this process exited first; the copies had begun to drift.
 * It lives in runtime/ with the rest of the shared process infrastructure, which devnet/,
 * indexer/ and cli/ all import and which imports none of them.
 */
import type { ChildProcess } from "node:child_process";

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** SIGKILLs `child` when this process exits, however it exits, unless it is gone by then. */
export function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  live.add(child);
  child.once("exit", () => live.delete(child));
}

/** True once the child has exited (by itself or by a signal). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the child's exit code, or the signal's name if a signal ended it. */
export function childExited(child: ChildProcess): Promise<number | string> {
  if (hasExited(child)) return Promise.resolve(child.exitCode ?? child.signalCode ?? "unknown");
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
}

/**
 * Calls `onLine` with every non-blank line the child writes on stdout and stderr, whole even
 * when it arrives in several chunks (a last line without its newline is never delivered), and
 * keeps the last `keep` of them; returns them joined by newlines.
 */
export function readChildLines(
  child: ChildProcess,
  keep: number,
  onLine: (line: string) => void = () => {},
): { tail(): string } {
  const tail: string[] = [];
  const reader = () => {
    let partial = "";
    return (buf: Buffer) => {
      const lines = (partial + buf.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim() === "") continue;
        tail.push(line);
        if (tail.length > keep) tail.shift();
        onLine(line);
      }
    };
  };
  child.stdout?.on("data", reader());
  child.stderr?.on("data", reader());
  return { tail: () => tail.join("\n") };
}

/**
 * SIGTERM, then SIGKILL if the child is still there after `graceMs`; resolves with its exit
 * code (or signal name) once it is gone, at once if it already was.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<number | string> {
  const exited = childExited(child);
  if (hasExited(child)) return exited;
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  child.kill("SIGTERM");
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
