import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

const SIGNALS = new URL("./signals.ts", import.meta.url).href;

describe("stopOnSignals", () => {
  it("stops once on the first signal, ignores a second one while stopping, then exits 0", async () => {
    const code = `
      const { stopOnSignals } = await import(${JSON.stringify(SIGNALS)});
      const out = (line) => process.stdout.write(line + "\\n");
      stopOnSignals(out, "the test", async () => {
        out("stop called");
        await new Promise((r) => setTimeout(r, 300));
      });
      out("ready");
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | string>((resolve) =>
      child.once("exit", (c, s) => resolve(c ?? s ?? "unknown")),
    );
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes("ready") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(out).toContain("ready");
      child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 100));
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(out.split("\n").filter((l) => l !== "")).toEqual([
        "ready",
        "SIGTERM: stopping the test…",
        "stop called",
        "stopped.",
      ]);
    } finally {
      child.kill("SIGKILL");
    }
  }, 30_000);
});
