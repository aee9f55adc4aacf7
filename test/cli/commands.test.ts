/**
 * Every `perpwatch` command answers `--help`, and every bad flag or configuration value
 * stops it with exactly one line on stderr (`perpwatch: …`) and exit code 1 — driven through
 * the real CLI as a child process.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/.bin/tsx");
const BIN = join(ROOT, "cli/bin.ts");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function perpwatch(args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

function configDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-cli-"));
  writeFileSync(join(dir, "perpwatch.config.yaml"), yaml);
  return dir;
}

const COMMANDS = [
  ["start"],
  ["devnet"],
  ["worker"],
  ["serve"],
  ["risk"],
  ["alerts", "test"],
  ["config", "check"],
];

describe("perpwatch --help", () => {
  it("documents every command", async () => {
    const runs = await Promise.all(COMMANDS.map((c) => perpwatch([...c, "--help"])));
    runs.forEach((r, i) => {
      expect(r.code, COMMANDS[i]!.join(" ")).toBe(0);
      expect(r.stdout).toContain(`Usage: perpwatch ${COMMANDS[i]!.join(" ")} [options]`);
      expect(r.stdout).toContain("-h, --help");
    });
    const top = await perpwatch(["--help"]);
    for (const c of ["start", "devnet", "worker", "serve", "risk", "alerts", "config"]) {
      expect(top.stdout).toMatch(new RegExp(`\\n  ${c} `));
    }
  });
});

describe("bad input: one line, exit code 1", () => {
  const cases: [string, string[], RegExp, string?][] = [
    ["start: bad API port", ["start", "--api-port", "http"], /^perpwatch: option --api-port: /],
    ["start: unknown scenario", ["start", "--scenario", "x"], /^perpwatch: option --scenario: /],
    [
      "worker: bad receiver port",
      ["worker", "--receiver-port", "-3"],
      /^perpwatch: option --receiver-port: /,
    ],
    [
      "worker: bad API URL",
      ["worker", "--api", "localhost:42069"],
      /^perpwatch: option --api: expected the API.s root URL like http:\/\/127\.0\.0\.1:42069, or its GraphQL URL/,
    ],
    [
      "serve: not PostgreSQL",
      ["serve", "--database-url", "mysql://x/y"],
      /^perpwatch: option --database-url: expected a postgres:\/\/ or postgresql:\/\/ URL \(got "mysql:\/\/x\/y"\)$/,
    ],
    [
      "risk: shock out of range",
      ["risk", "--market", "ETH", "--shock", "-1.5"],
      /^perpwatch: option --shock: expected a fraction strictly between -1 and 1/,
    ],
    [
      "risk: no API",
      ["risk", "--market", "ETH", "--api", "http://127.0.0.1:9/graphql"],
      /^perpwatch: API http:\/\/127\.0\.0\.1:9\/graphql unreachable: .*is `perpwatch start` running/,
    ],
    [
      "config check: missing file",
      ["config", "check", "--config", "nope.yaml"],
      /^perpwatch: config nope\.yaml: no such file$/,
    ],
    ["unknown command", ["stat"], /^perpwatch: unknown command 'stat' \(see --help\)$/],
    [
      "devnet: unknown flag",
      ["devnet", "--bogus-flag"],
      /^perpwatch: unknown option '--bogus-flag' \(see --help\)$/,
    ],
    [
      "devnet: flag without its value",
      ["devnet", "--accounts"],
      /^perpwatch: option '--accounts <n>' argument missing \(see --help\)$/,
    ],
    ["alerts test: unknown flag", ["alerts", "test", "--x"], /^perpwatch: unknown option '--x'/],
    [
      "config: bad devnet value",
      ["config", "check"],
      /^perpwatch: config .*perpwatch\.config\.yaml: key "devnet\.accounts": .*\(got "lots"\)$/,
      "devnet:\n  accounts: lots\n",
    ],
    [
      "config: unknown section",
      ["config", "check"],
      /^perpwatch: config .*: unknown key "alert"; check the spelling$/,
      "alert:\n  receivers: {}\n",
    ],
    [
      "config: bad api key hash",
      ["config", "check"],
      /^perpwatch: config .*: api: key "desk" \(keys\[0\]\) sha256: expected the key's SHA-256 as 64 hex digits or env:NAME \(got 4 characters\)$/,
      "api:\n  keys:\n    - { name: desk, sha256: nope }\n",
    ],
    [
      "start: bad --host",
      ["start", "--host", "my-box"],
      /^perpwatch: option --host: expected an IP address such as 127\.0\.0\.1 .*\(got "my-box"\)$/,
    ],
    [
      "config: bad webhook URL",
      ["config", "check"],
      /^perpwatch: alerts config: key "receivers\.ops\.url": expected an http\(s\) URL/,
      "alerts:\n  receivers:\n    ops:\n      type: webhook\n      url: ftp://x\n",
    ],
    [
      "config: bad rule",
      ["config", "check"],
      /^perpwatch: alerts config: rule "mine" \(rules\[0\]\) /,
      "alerts:\n  localReceiver: { enabled: true }\n  rules:\n    - name: mine\n      kind: skew-extreme\n      severity: loud\n",
    ],
    [
      "start: bad config value",
      ["start"],
      /^perpwatch: config .*: key "indexer\.port": /,
      "indexer:\n  port: 99999\n",
    ],
  ];
  it.concurrent.each(cases)("%s", async (_name, args, message, yaml) => {
    const r = await perpwatch(args, yaml ? configDir(yaml) : ROOT);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(message);
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("with no receivers configured", () => {
  it("config check and alerts test say the same and point at the bundled local receiver", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "perpwatch-cli-"));
    const [check, test] = await Promise.all([
      perpwatch(["config", "check"], cwd),
      perpwatch(["alerts", "test"], cwd),
    ]);
    const said =
      /no receivers configured \(alerts\.receivers\): alerts go only to the bundled local receiver/;
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(said);
    // The state folders `npm start` uses on a devnet.
    expect(check.stdout).toContain("state in PGlite .perpwatch/devnet-state/alerts");
    expect(check.stdout).toMatch(/ClickHouse embedded in .*\.perpwatch\/devnet-state\/clickhouse/);
    expect(test.stderr).toBe("");
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(said);
    expect(test.stdout).toMatch(/^receiver \| .*FIRING info perpwatch-test/m);
    expect(test.stdout).toMatch(/^ok {6}local \(webhook\): HTTP 200$/m);
  });
});
