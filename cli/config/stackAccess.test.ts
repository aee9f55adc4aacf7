import { describe, expect, it } from "vitest";
import { hashApiKey, KeyRing } from "../../api/auth/apiKeys.js";
import { AUTH_ENV, loadAuthConfig } from "../../api/auth/authConfig.js";
import { apiAuthEnv, resolveHost, STACK_KEY_NAME, stackAccess } from "./stackAccess.js";

const HASH = hashApiKey("pw_desk");

describe("stackAccess", () => {
  it("keeps the devnet open on loopback, and the run's own key reads everything", () => {
    const a = stackAccess(undefined, "config x.yaml", "127.0.0.1", 42069);
    const config = loadAuthConfig(a.env);
    expect(config.anonymous).toBe("everything");
    // Unlimited, as on a devnet without the run's key (GraphiQL, the risk page).
    expect(config.anonymousLimits).toEqual({ requests: null, cost: null });
    const found = new KeyRing(config).lookup(a.key);
    expect(found.kind === "key" && found.caller).toMatchObject({
      name: STACK_KEY_NAME,
      tables: true,
      limits: { requests: null, cost: null },
    });
    expect(a.lines).toEqual([
      "perpwatch: the API listens on 127.0.0.1:42069 (this machine only); callers without a key read everything, 0 API key(s) configured",
    ]);
    expect(a.env[AUTH_ENV]).not.toContain(a.key);
  });

  it("turns anonymous callers away once the file lists keys, and warns when all is open beyond loopback", () => {
    const withKeys = stackAccess(
      { keys: [{ name: "desk", sha256: HASH }] },
      "config x.yaml",
      "0.0.0.0",
      80,
    );
    expect(loadAuthConfig(withKeys.env).anonymous).toBe("off");
    expect(withKeys.lines).toHaveLength(1);
    const open = stackAccess(undefined, "config x.yaml", "0.0.0.0", 80);
    expect(open.lines[1]).toMatch(/^perpwatch: warning: every account's health is open/);
  });

  it("names the file and the key of a bad api section in one line", () => {
    expect(() =>
      stackAccess({ keys: [{ name: "desk", sha256: "nope" }] }, "config x.yaml", "127.0.0.1", 1),
    ).toThrow(
      'config x.yaml: api: key "desk" (keys[0]) sha256: expected the key\'s SHA-256 as 64 hex digits or env:NAME (got 4 characters)',
    );
  });

  it("hands a replica the section as written (no run key; keys turn anonymous callers away)", () => {
    const { env, config } = apiAuthEnv({ keys: [{ name: "desk", sha256: HASH }] }, "config x");
    expect(config.anonymous).toBe("off");
    expect(config.keys.map((k) => k.name)).toEqual(["desk"]);
    expect(loadAuthConfig(env)).toEqual(config);
  });

  it("takes the flag over the file over loopback, and refuses a host name", () => {
    expect(resolveHost(undefined, undefined)).toBe("127.0.0.1");
    expect(resolveHost(undefined, "0.0.0.0")).toBe("0.0.0.0");
    expect(resolveHost("::1", "0.0.0.0")).toBe("::1");
    expect(() => resolveHost("my-box", undefined)).toThrow(
      'option --host: expected an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface) (got "my-box")',
    );
  });
});
