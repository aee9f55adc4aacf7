import { describe, expect, it } from "vitest";
import { hashApiKey, KeyRing, newApiKey } from "./apiKeys.js";
import { AUTH_ENV, loadAuthConfig } from "./authConfig.js";

const env = (auth: unknown, more: Record<string, string> = {}) => ({
  [AUTH_ENV]: JSON.stringify(auth),
  ...more,
});
const HASH = hashApiKey("pw_test");

describe("loadAuthConfig", () => {
  it("is the devnet's without the variable: everything open, no limits", () => {
    const c = loadAuthConfig({});
    expect(c.anonymous).toBe("everything");
    expect(c.anonymousLimits).toEqual({ requests: null, cost: null });
    expect(c.keys).toEqual([]);
  });

  it("turns the anonymous tier off once keys exist, and limits keys by default", () => {
    const c = loadAuthConfig(env({ keys: [{ name: "desk", sha256: HASH }] }));
    expect(c.anonymous).toBe("off");
    expect(c.keys[0]).toEqual({
      name: "desk",
      sha256: HASH,
      revoked: false,
      tables: false,
      metrics: false,
      limits: { requests: 600, cost: 500_000 },
    });
  });

  it("reads a hash from the environment (env:NAME), in any case", () => {
    const c = loadAuthConfig(
      env({ keys: [{ name: "desk", sha256: "env:DESK_SHA" }] }, { DESK_SHA: HASH.toUpperCase() }),
    );
    expect(c.keys[0]!.sha256).toBe(HASH);
  });

  it.each([
    [
      { anonymous: "some" },
      `${AUTH_ENV}: key "anonymous": invalid option: expected one of "off"|"public"|"everything" (got "some")`,
    ],
    [
      { keys: [{ name: "desk", sha256: "abc" }] },
      `${AUTH_ENV}: key "desk" (keys[0]) sha256: expected the key's SHA-256 as 64 hex digits or env:NAME (got 3 characters)`,
    ],
    [
      { keys: [{ name: "desk", sha256: "env:NOT_SET_ANYWHERE" }] },
      `${AUTH_ENV}: key "desk" (keys[0]) sha256: environment variable NOT_SET_ANYWHERE is not set`,
    ],
    [
      { keys: [{ name: "a b", sha256: HASH }] },
      `${AUTH_ENV}: key "keys[0].name": expected a name of letters, digits`,
    ],
    [
      {
        keys: [
          { name: "a", sha256: HASH },
          { name: "b", sha256: HASH },
        ],
      },
      `${AUTH_ENV}: key "b" has the same sha256 as another key`,
    ],
    [{ cors: ["desk.example"] }, `${AUTH_ENV}: key "cors[0]": expected an origin`],
    [{ windowMs: 5 }, `${AUTH_ENV}: key "windowMs": too small`],
  ])("refuses %j in one line", (auth, line) => {
    expect(() => loadAuthConfig(env(auth))).toThrow(line);
    try {
      loadAuthConfig(env(auth));
    } catch (err) {
      expect((err as Error).message).not.toContain("\n");
    }
  });

  it("refuses text that is not JSON", () => {
    expect(() => loadAuthConfig({ [AUTH_ENV]: "{keys" })).toThrow(
      `${AUTH_ENV}: expected a JSON object (got text that is not JSON)`,
    );
  });
});

describe("KeyRing", () => {
  it("knows a key by its hash, says which one is revoked, and never holds the key", () => {
    const live = newApiKey();
    const old = newApiKey();
    const ring = new KeyRing(
      loadAuthConfig(
        env({
          anonymous: "public",
          keys: [
            { name: "live", sha256: hashApiKey(live), tables: true },
            { name: "old", sha256: hashApiKey(old), revoked: true },
          ],
        }),
      ),
    );
    const found = ring.lookup(live);
    expect(found.kind === "key" && found.caller).toMatchObject({
      name: "live",
      reads: "everything",
      tables: true,
    });
    expect(JSON.stringify(found)).not.toContain(live);
    expect(ring.lookup(old)).toEqual({ kind: "revoked", name: "old" });
    expect(ring.lookup(newApiKey())).toEqual({ kind: "unknown" });
    expect(ring.anonymous("10.0.0.1")).toMatchObject({
      name: "anonymous",
      bucket: "anonymous:10.0.0.1",
      reads: "public",
      tables: false,
    });
  });

  it("has no anonymous caller when the tier is off", () => {
    const ring = new KeyRing(loadAuthConfig(env({ anonymous: "off" })));
    expect(ring.anonymous("127.0.0.1")).toBeNull();
  });
});
