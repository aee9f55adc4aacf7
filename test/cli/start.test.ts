/**
 * Drives the real `perpwatch start` as a child process: it brings up anvil, deploys, writes
 * the manifest and simulates; Ctrl-C (SIGINT) stops it and leaves no anvil behind, and so
 * does killing it outright (SIGKILL: its children stop themselves). Bad flags give one line
 * and exit code 1.
 *
 * The first run is in a pseudo-terminal of 160×50, as a new user sees it (util-linux
 * `script`, on every Debian): the live status block is drawn, its account figures are
 * riskSummary's at the block it names, through the crash; the worker line is printed once;
 * the firing list is ordered by severity; Ctrl-C is typed into the terminal.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../devnet/manifest.js";
import { freePort } from "../../runtime/freePort.js";
import { isWildcard, listeningSockets } from "../../runtime/listeningSockets.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/.bin/tsx");
const BIN = join(ROOT, "cli/bin.ts");

/** Whether `pid` runs (a zombie waiting for its reaper does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

/** Terminal control sequences (log-update's cursor moves and erases, colours) and CRs. */
const CONTROL = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]|\\r`, "g");

/**
 * `perpwatch start` as a child process in `cwd`, its output collected; with `tty`, inside a
 * 160×50 pseudo-terminal (control sequences stripped from what is collected).
 */
function startStack(cwd: string, args: readonly string[], tty = false) {
  const command = [TSX, BIN, "start", ...args].map((a) => `'${a}'`).join(" ");
  const child = tty
    ? spawn("script", ["-qfec", `stty cols 160 rows 50; exec ${command}`, "/dev/null"], {
        cwd,
        stdio: ["pipe", "pipe", "pipe"],
      })
    : spawn(TSX, [BIN, "start", ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString().replace(CONTROL, "");
  });
  child.stderr!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!re.test(out) && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
    if (!re.test(out)) throw new Error(`no ${re} within ${ms} ms; output:\n${out.slice(-3000)}`);
  };
  return { child, output: () => out, exited, waitFor };
}

interface AccountsLine {
  block: number;
  total: number;
  withPositions: number;
  atRisk: number;
}

const int = (s: string) => Number(s.replaceAll(",", ""));

/** Every accounts line the status block drew, in order. */
function statusAccounts(out: string): AccountsLine[] {
  const re =
    /accounts {3}([\d,]+) · ([\d,]+) with positions · ([\d,]+) at risk \(liquidatable\) · at block ([\d,]+)/g;
  return [...out.matchAll(re)].map((m) => ({
    block: int(m[4]!),
    total: int(m[1]!),
    withPositions: int(m[2]!),
    atRisk: int(m[3]!),
  }));
}

/** The last status block drawn: from its last "chain head" line to the end. */
function lastStatusBlock(out: string): string {
  return out.slice(out.lastIndexOf("chain head "));
}

/** Resolves once `cond` holds (checked every 250 ms); fails after `ms` with the output's end. */
async function waitUntil(cond: () => boolean, ms: number, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  if (!cond()) throw new Error(`not within ${ms} ms; output:\n${output().slice(-3000)}`);
}

/**
 * riskSummary and the account count, asked every 1.5 s, by block (callers without a key may
 * send 60 requests a minute to a `perpwatch start` API).
 */
function recordRisk(url: string) {
  const seen = new Map<number, AccountsLine>();
  let stopped = false;
  const query = `{ riskSummary { block accountsAtRisk accountsWithPositions } accounts(first: 1) { totalCount } }`;
  void (async () => {
    while (!stopped) {
      const body = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      })
        .then((r) => r.json())
        .catch(() => null);
      const r = body?.data?.riskSummary;
      if (r) {
        seen.set(Number(r.block), {
          block: Number(r.block),
          total: body.data.accounts.totalCount,
          withPositions: r.accountsWithPositions,
          atRisk: r.accountsAtRisk,
        });
      }
      await new Promise((res) => setTimeout(res, 1500));
    }
  })();
  return {
    seen,
    stop() {
      stopped = true;
    },
  };
}

/** The pids `start` prints: anvil, Ponder, the worker. */
function stackPids(out: string): [number, number, number] {
  return [
    Number(/anvil .* pid (\d+)/.exec(out)?.[1]),
    Number(/Ponder, pid (\d+)/.exec(out)?.[1]),
    Number(/worker {5}pid (\d+)/.exec(out)?.[1]),
  ];
}

describe("perpwatch start", () => {
  it("brings up the whole stack in a terminal, answers GraphQL, shows riskSummary's figures through the crash, delivers an alert, and leaves nothing on Ctrl-C", async () => {
    const port = await freePort();
    const apiPort = await freePort();
    // Its own working directory: the worker's state (.perpwatch/devnet-state) goes there,
    // not into a developer's checkout.
    const cwd = mkdtempSync(join(tmpdir(), "perpwatch-start-"));
    const manifest = join(cwd, "manifest.json");
    const { child, output, exited, waitFor } = startStack(
      cwd,
      [
        ...["--port", String(port), "--api-port", String(apiPort)],
        ...["--accounts", "40", "--block-time", "0.5", "--manifest", manifest],
      ],
      true,
    );
    let riskByBlock: ReturnType<typeof recordRisk> | null = null;
    try {
      // Past the backfill; "indexing live" once the served block has caught up (a loaded
      // machine may keep it catching up a while).
      await waitFor(/lag [\d,]+ blocks · (catching up|indexing live)/, 180_000);
      expect(output()).toMatch(/anvil\s+http:\/\/127\.0\.0\.1:\d+/);
      expect(output()).toContain(`API        http://127.0.0.1:${apiPort}/graphql`);
      expect(output()).toContain(`risk page  http://127.0.0.1:${apiPort}/risk`);
      // GraphQL answers; right after start-up the API may still serve the block before the
      // markets were created, so ask until they are there.
      type Answer = {
        data: { markets: { symbol: string }[]; indexingStatus: { indexedBlock: string } };
      };
      let body: Answer | null = null;
      for (let i = 0; i < 120; i++) {
        const res = await fetch(`http://127.0.0.1:${apiPort}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ markets { symbol } indexingStatus { indexedBlock } }" }),
        });
        expect(res.status).toBe(200);
        body = (await res.json()) as Answer;
        if (body.data.markets.length > 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(body!.data.markets.map((m) => m.symbol)).toEqual(["BTC", "ETH", "SOL", "DOGE", "WIF"]);
      expect(Number(body!.data.indexingStatus.indexedBlock)).toBeGreaterThan(0);
      // riskSummary by block, read beside the status block from here on.
      const seen = recordRisk(`http://127.0.0.1:${apiPort}/graphql`);
      riskByBlock = seen;
      // `perpwatch risk` charts a ladder and a cascade from the same API.
      const risk = spawnSync(
        TSX,
        // --api in its root form (the /graphql form is taken too: cli/apiUrl.test.ts)
        [BIN, "risk", "--market", "ETH", "--api", `http://127.0.0.1:${apiPort}`],
        { cwd: ROOT, encoding: "utf8" },
      );
      expect(risk.stderr).toBe("");
      expect(risk.status).toBe(0);
      expect(risk.stdout).toMatch(/ETH liquidation ladder at block \d+/);
      expect(risk.stdout).toMatch(/within 1% \$[\d,]+ · 3% \$[\d,]+/);
      expect(risk.stdout).toMatch(/cascade from a -10\.0% ETH shock at block \d+/);
      expect(risk.stdout).toMatch(/\d+ rounds .* · amplification/);
      // The local receiver prints every alert that arrives.
      await waitFor(/receiver \| .*FIRING/, 360_000);
      await waitFor(/worker {5}pid \d+/, 10_000);
      // Through the crash: the status block's accounts line is riskSummary's at its block.
      // Read each time: on a fast machine the first alert comes before the crash has begun.
      const crashBlock = () => Number(/block (\d+) \[crash\]/.exec(output())?.[1] ?? Infinity);
      const compared = () => statusAccounts(output()).filter((d) => seen.seen.has(d.block));
      await waitUntil(() => compared().some((d) => d.block >= crashBlock()), 300_000, output);
      for (const d of compared()) expect(d, `block ${d.block}`).toEqual(seen.seen.get(d.block));
      // The worker is announced once; the firing list is ordered by severity.
      expect(output().match(/worker {5}pid \d+/g)).toHaveLength(1);
      expect(output()).not.toContain("perpwatch worker:");
      // The alert the receiver printed reaches the status block at its next refresh.
      await waitUntil(() => lastStatusBlock(output()).includes("▲"), 60_000, output);
      const severities = [...lastStatusBlock(output()).matchAll(/▲ (\w+)/g)].map((m) => m[1]!);
      const rank = (s: string) => ["critical", "warning", "info"].indexOf(s);
      expect(severities.map(rank)).toEqual([...severities.map(rank)].sort((x, y) => x - y));

      const [anvilPid, ponderPid, workerPid] = stackPids(output());
      for (const pid of [anvilPid, ponderPid, workerPid]) expect(alive(pid)).toBe(true);
      // Every listener of the stack (anvil, Ponder, the worker's status port and webhook
      // receiver) is on loopback by default: none on a wildcard address.
      const sockets = listeningSockets([anvilPid, ponderPid, workerPid]);
      expect(sockets.length).toBeGreaterThanOrEqual(4);
      expect(sockets.filter((s) => isWildcard(s.address))).toEqual([]);
      expect(existsSync(manifest)).toBe(true);
      expect(readManifest(manifest).rpcUrl).toBe(`http://127.0.0.1:${port}`);

      child.stdin!.write("\x03"); // Ctrl-C, typed
      expect(await exited).toBe(0);
      expect(output()).toMatch(/stopped\./);
      for (const pid of [anvilPid, ponderPid, workerPid]) expect(alive(pid)).toBe(false);
    } finally {
      riskByBlock?.stop();
      // On a failure, stop the stack as a user would, then the terminal itself.
      if (child.exitCode === null) {
        child.stdin!.write("\x03");
        const gone = await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
        if (gone === undefined) child.kill("SIGKILL");
      }
    }
  }, 900_000);

  it("leaves nothing running when `perpwatch start` itself is killed with SIGKILL", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "perpwatch-start-kill-"));
    const { child, output, waitFor } = startStack(cwd, [
      ...["--port", String(await freePort()), "--api-port", String(await freePort())],
      ...["--accounts", "10", "--block-time", "0.5", "--manifest", join(cwd, "m.json")],
    ]);
    const pids: number[] = [];
    try {
      await waitFor(/worker {5}pid \d+/, 180_000);
      pids.push(...stackPids(output()));
      const ponderPid = pids[1]!;
      for (const pid of pids) expect(alive(pid), output().slice(-2000)).toBe(true);
      // `perpwatch start` is Ponder's parent (the tsx launcher above it is not).
      const startPid = Number(
        readFileSync(`/proc/${ponderPid}/stat`, "utf8").split(") ")[1]!.split(" ")[1],
      );
      process.kill(startPid, "SIGKILL");
      const gone = Date.now() + 30_000;
      while (pids.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 250));
      for (const pid of pids)
        expect(alive(pid), `pid ${pid} of ${pids}; ${output().slice(-1500)}`).toBe(false);
    } finally {
      for (const pid of pids) if (pid > 0 && alive(pid)) process.kill(pid, "SIGKILL");
      child.kill("SIGKILL");
    }
  }, 240_000);

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
