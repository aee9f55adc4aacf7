/**
 * Drives the real `perpwatch start` as a child process: it brings up anvil, deploys, writes
 * the manifest and simulates; Ctrl-C (SIGINT) stops it and leaves no anvil behind. Bad flags
 * give one line and exit code 1.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../devnet/freePort.js";
import { readManifest } from "../../devnet/manifest.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/.bin/tsx");
const BIN = join(ROOT, "cli/bin.ts");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("perpwatch start", () => {
  it("runs devnet + deploy + simulator + indexer and stops every child on SIGINT", async () => {
    const port = await freePort();
    const apiPort = await freePort();
    const manifest = join(mkdtempSync(join(tmpdir(), "perpwatch-start-")), "manifest.json");
    const child = spawn(
      TSX,
      [
        BIN,
        "start",
        ...["--port", String(port), "--api-port", String(apiPort)],
        ...["--accounts", "30", "--manifest", manifest],
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    const deadline = Date.now() + 150_000;
    while (!/block \d+ \[build-up\].*\| indexed \d+/.test(out) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toMatch(/anvil\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/block \d+ \[build-up\]/);
    const pid = Number(/pid (\d+)/.exec(out)?.[1]);
    expect(alive(pid)).toBe(true);
    expect(out).toContain(`indexer    http://127.0.0.1:${apiPort}`);
    const ponderPid = Number(/Ponder, pid (\d+)/.exec(out)?.[1]);
    expect(alive(ponderPid)).toBe(true);
    const status = (await (await fetch(`http://127.0.0.1:${apiPort}/status`)).json()) as Record<
      string,
      { block: { number: number } }
    >;
    expect(Object.values(status)[0]!.block.number).toBeGreaterThan(0);
    expect(existsSync(manifest)).toBe(true);
    expect(readManifest(manifest).rpcUrl).toBe(`http://127.0.0.1:${port}`);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped\./);
    expect(alive(pid)).toBe(false);
    expect(alive(ponderPid)).toBe(false);
  }, 200_000);

  it("rejects a bad flag with one line and exit code 1", () => {
    const res = spawnSync(TSX, [BIN, "devnet", "--accounts", "many"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      'perpwatch: option --accounts: Invalid input: expected number, received NaN (got "many")',
    );
    const scen = spawnSync(TSX, [BIN, "devnet", "--scenario", "meltdown"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(scen.status).toBe(1);
    expect(scen.stderr.trim().split("\n")).toHaveLength(1);
    expect(scen.stderr).toMatch(/option --scenario: .*calm.*crash-cascade.*funding-squeeze/);
  });

  it("says in one line that the port is taken instead of hanging", async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, "127.0.0.1");
    try {
      const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(TSX, [BIN, "devnet", "--port", String(port), "--accounts", "5"], {
          cwd: ROOT,
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
        });
        child.on("exit", (code) => resolve({ code, stderr }));
      });
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe(
        `perpwatch: anvil: port ${port} on 127.0.0.1 is already in use; choose another with --port`,
      );
    } finally {
      squatter.close();
    }
  });
});
