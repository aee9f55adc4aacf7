/**
 * Waits until the machine's CPUs are mostly idle (Linux `/proc/stat`), so that a latency
 * measurement does not share the cores with work left over from its setup — another Ponder of
 * the same bench still writing after its backfill, say. Resolves with the time waited; gives up
 * quietly after `timeoutMs` (the figures then say what they were measured under).
 */
import { readFileSync } from "node:fs";

/** Total and idle jiffies over all CPUs. */
function cpuTimes(): { total: number; idle: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const xs = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    return { total: xs.reduce((a, b) => a + b, 0), idle: xs[3]! + (xs[4] ?? 0) };
  } catch {
    return null;
  }
}

export async function waitForQuietCpu(
  idleShare = 0.85,
  windowMs = 1000,
  timeoutMs = 60_000,
): Promise<number> {
  const started = performance.now();
  let prev = cpuTimes();
  if (!prev) return 0;
  while (performance.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = cpuTimes()!;
    const total = now.total - prev.total;
    const idle = now.idle - prev.idle;
    prev = now;
    if (total > 0 && idle / total >= idleShare) break;
  }
  return performance.now() - started;
}
