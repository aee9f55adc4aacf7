import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { childExited, readChildLines, stopChild } from "./childProcess.js";

const started: ChildProcess[] = [];
const closes = new WeakMap<ChildProcess, Promise<unknown>>();

/** A real Node child running `script`, its stdout and stderr piped. */
function node(script: string): ChildProcess {
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  // Listened for at once: "close" can follow "exit" in the same tick.
  closes.set(child, new Promise((r) => child.once("close", r)));
  return child;
}

/** Resolves once the child has exited and its output has all been read. */
const closed = (child: ChildProcess) => closes.get(child);

afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

describe("readChildLines", () => {
  it("delivers lines split across chunks whole, from stdout and stderr, skipping blank ones", async () => {
    const child = node(`
      const steps = [
        () => process.stdout.write("hel"),
        () => process.stdout.write("lo\\nwor"),
        () => process.stdout.write("ld\\n\\n   \\nlast"),
        () => process.stderr.write("err"),
        () => process.stderr.write("or line\\n"),
        () => process.stdout.write(" one\\nunterminated"),
      ];
      let i = 0;
      const next = () => { steps[i++](); if (i < steps.length) setTimeout(next, 30); };
      next();
    `);
    const lines: string[] = [];
    const reader = readChildLines(child, 10, (l) => lines.push(l));
    await closed(child);
    expect(lines).toEqual(["hello", "world", "error line", "last one"]);
    expect(reader.tail()).toBe("hello\nworld\nerror line\nlast one");
  });

  it("keeps only the last N lines in the tail", async () => {
    const child = node(`for (let i = 1; i <= 10; i++) console.log("line " + i);`);
    const reader = readChildLines(child, 3);
    await closed(child);
    expect(reader.tail()).toBe("line 8\nline 9\nline 10");
  });
});

describe("stopChild", () => {
  it("escalates to SIGKILL after the grace period when the child ignores SIGTERM", async () => {
    const child = node(`
      process.on("SIGTERM", () => console.log("ignored SIGTERM"));
      console.log("ready");
      setInterval(() => {}, 1000);
    `);
    const lines: string[] = [];
    const ready = new Promise<void>((r) =>
      readChildLines(child, 10, (l) => {
        lines.push(l);
        if (l === "ready") r();
      }),
    );
    await ready;
    const t0 = Date.now();
    await expect(stopChild(child, 400)).resolves.toBe("SIGKILL");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    await closed(child);
    expect(lines).toContain("ignored SIGTERM");
  });

  it("resolves with the exit code or signal once the child is gone, at once if it already is", async () => {
    const polite = node(`
      process.on("SIGTERM", () => process.exit(3));
      console.log("ready");
      setInterval(() => {}, 1000);
    `);
    await new Promise<void>((r) => readChildLines(polite, 1, (l) => l === "ready" && r()));
    const t0 = Date.now();
    await expect(stopChild(polite, 10_000)).resolves.toBe(3);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(stopChild(polite, 10_000)).resolves.toBe(3);

    const plain = node("setInterval(() => {}, 1000);");
    await expect(stopChild(plain, 10_000)).resolves.toBe("SIGTERM");
    await expect(childExited(plain)).resolves.toBe("SIGTERM");

    const done = node("process.exit(7);");
    await expect(childExited(done)).resolves.toBe(7);
    await expect(stopChild(done, 10_000)).resolves.toBe(7);
  });
});

describe("killOnExit", () => {
  it("kills a child still running when its parent process exits", async () => {
    // The grandchild holds the parent's fd 3, a pipe from here: it closes when both are dead.
    const moduleUrl = new URL("./childProcess.ts", import.meta.url).href;
    const parent = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `
          import { spawn } from "node:child_process";
          const { killOnExit } = await import(${JSON.stringify(moduleUrl)});
          const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], {
            stdio: ["ignore", "ignore", "ignore", 3],
          });
          killOnExit(child);
          console.log(child.pid);
          setTimeout(() => process.exit(0), 300);
        `,
      ],
      { stdio: ["ignore", "pipe", "pipe", "pipe"] },
    );
    started.push(parent);
    const allClosed = new Promise((r) => parent.once("close", () => r("closed")));
    const lines: string[] = [];
    readChildLines(parent, 10, (l) => lines.push(l));
    await expect(childExited(parent)).resolves.toBe(0);
    const grandchild = Number(lines[0]);
    expect(grandchild).toBeGreaterThan(0);
    const outcome = await Promise.race([
      allClosed,
      new Promise((r) => setTimeout(() => r("grandchild still running"), 5_000)),
    ]);
    if (outcome !== "closed") process.kill(grandchild, "SIGKILL");
    expect(outcome).toBe("closed");
  });
});
