/**
 * Taken ports stop `perpwatch start` and `perpwatch worker` before anything starts: one line
 * per port, naming it, its holder and the flag that changes it, and no anvil or indexer
 * launched. (Ponder's own move to the next free port, should a port be taken between the
 * check and its start, is read from its "Created HTTP server" line: boundPort below.)
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { boundPort } from "../../indexer/runPonder.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/.bin/tsx");
const BIN = join(ROOT, "cli/bin.ts");

const held: Server[] = [];
afterAll(() => {
  for (const s of held) s.close();
});

/** A port held by this test process, as another Ponder app would hold 42069. */
async function holdPort(): Promise<number> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((r) => s.listen(0, () => r()));
  return (s.address() as { port: number }).port;
}

function perpwatch(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "perpwatch-ports-"));
  return new Promise((resolve) => {
    const child = spawn(TSX, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

const holder = `by pid ${process.pid} \\(.+\\)`;

describe("taken ports", () => {
  it.concurrent("start: the API port and anvil's, each one line, nothing launched", async () => {
    const api = await holdPort();
    const anvil = await holdPort();
    const r = await perpwatch(["start", "--api-port", String(api), "--port", String(anvil)]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^perpwatch: port ${anvil} \\(anvil, the devnet's JSON-RPC\\) is already in use ${holder}; choose another with --port$`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^perpwatch: port ${api} \\(the API\\) is already in use ${holder}; choose another with --api-port$`,
      ),
    );
    expect(r.out).not.toMatch(/anvil {6}http/);
  });

  it.concurrent("worker: its status port and the local receiver's", async () => {
    const status = await holdPort();
    const receiver = await holdPort();
    const r = await perpwatch([
      ...["worker", "--no-exporter", "--local-receiver"],
      ...["--status-port", String(status), "--receiver-port", String(receiver)],
    ]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `port ${status} \\(the worker's status\\) .*--status-port; port ${receiver} \\(the local receiver\\) .*--receiver-port$`,
      ),
    );
  });

  it("reads the port Ponder bound from its log line", () => {
    const line = `{"level":30,"time":1,"service":"server","msg":"Created HTTP server","port":42070,"duration":3}`;
    expect(boundPort(line)).toBe(42070);
    expect(boundPort(`{"level":40,"msg":"Port in use","port":42069}`)).toBeNull();
  });
});
