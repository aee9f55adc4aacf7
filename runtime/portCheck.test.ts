/** A taken port is found whatever address holds it, with its holder and the flag to change. */
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./freePort.js";
import { portConflicts, portHolder, portTaken, shortCommand } from "./portCheck.js";

const held: Server[] = [];
afterEach(() => {
  for (const s of held.splice(0)) s.close();
});

async function hold(host: string): Promise<number> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  return (s.address() as { port: number }).port;
}

describe("port checks", () => {
  it.each(["127.0.0.1", "0.0.0.0", "::"])("sees a port held on %s", async (host) => {
    const port = await hold(host);
    expect(await portTaken(port)).toBe(true);
    expect(portHolder(port)).toMatch(new RegExp(`^pid ${process.pid} \\(`));
    const [line, ...more] = await portConflicts([{ port, what: "the API", flag: "--api-port" }]);
    expect(more).toEqual([]);
    expect(line).toBe(
      `port ${port} (the API) is already in use by ${portHolder(port)}; choose another with --api-port`,
    );
  });

  it("finds nothing on a free port, nor on port 0", async () => {
    const port = await freePort();
    expect(await portTaken(port)).toBe(false);
    expect(portHolder(port)).toBeNull();
    expect(
      await portConflicts([
        { port, what: "x", flag: "--x" },
        { port: 0, what: "y", flag: "--y" },
      ]),
    ).toEqual([]);
  });

  it("names a holder by its program and arguments, without node's options", () => {
    expect(
      shortCommand([
        "/usr/bin/node",
        "--require",
        "/a/preflight.cjs",
        "--import",
        "file:///b/loader.mjs",
        "/r/node_modules/ponder/dist/esm/bin/ponder.js",
        "start",
        "--port",
        "42069",
      ]),
    ).toBe("node ponder.js start --port 42069");
    expect(shortCommand(["anvil", "--port", "8545"])).toBe("anvil --port 8545");
  });
});
