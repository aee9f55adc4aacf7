import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const GUARD = resolve(import.meta.dirname, "orphanGuard.ts");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/**
 * A stand-in for `perpwatch start`: spawns a guarded child (running `childCode` after the
 * guard) with `envCode`'s environment, prints its pid, then idles. Returns the parent and
 * the child's pid once printed.
 */
async function guardedChild(childCode: string, envCode: string) {
  const code = `
    const { guardAgainstOrphaning } = await import(${JSON.stringify(GUARD)});
    guardAgainstOrphaning();
    ${childCode}
    setInterval(() => {}, 1000);`;
  const parentCode = `
    const { spawn } = require("node:child_process");
    const { orphanGuardEnv } = require(${JSON.stringify(GUARD)});
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", ${JSON.stringify(code)}], {
      stdio: "ignore",
      env: { ...process.env, ...${envCode} },
    });
    console.log(child.pid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["--import", "tsx", "-e", parentCode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  parent.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  expect(await until(() => /^\d+\n/.test(out), 15_000)).toBe(true);
  return { parent, childPid: Number(out.trim()) };
}

describe("guardAgainstOrphaning", () => {
  it("a child stops itself, and the siblings it was given, once its parent is killed outright", async () => {
    // A stand-in for anvil: a process that watches nothing.
    const sibling = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
      stdio: "ignore",
    });
    const { parent, childPid } = await guardedChild(
      `process.on("SIGTERM", () => process.exit(0));`,
      `orphanGuardEnv([${sibling.pid}], { checkMs: 100 })`,
    );
    try {
      // The guard does nothing while the parent lives.
      await new Promise((r) => setTimeout(r, 500));
      expect(alive(childPid)).toBe(true);
      expect(alive(sibling.pid!)).toBe(true);

      parent.kill("SIGKILL");
      expect(await until(() => !alive(childPid), 5_000)).toBe(true);
      expect(
        await until(() => sibling.exitCode !== null || sibling.signalCode !== null, 5_000),
      ).toBe(true);
      expect(sibling.signalCode).toBe("SIGTERM");
    } finally {
      parent.kill("SIGKILL");
      sibling.kill("SIGKILL");
    }
  }, 30_000);

  it("with no grace, a child whose shutdown would hang is gone at once", async () => {
    // A shutdown that never ends (as Ponder's, blocked on a dead parent's log pipe): under the
    // default 15 s grace it would linger 15 s; with grace 0 it is killed on the first check
    // (within a few hundred ms on a quiet machine; 10 s leaves room for a loaded one).
    const { parent, childPid } = await guardedChild(
      `process.on("SIGTERM", () => {});`,
      `orphanGuardEnv([], { checkMs: 100, graceMs: 0 })`,
    );
    try {
      parent.kill("SIGKILL");
      expect(await until(() => !alive(childPid), 10_000)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  }, 30_000);
});
