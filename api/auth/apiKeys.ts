/**
 * API keys: how one is made, hashed and recognised, and who a request is once it has been.
 *
 * Why a lookup by hash: the configuration holds only SHA-256 hashes (authConfig.ts), so a
 * presented key is hashed and looked up; nothing compares secrets byte by byte, and a timing
 * difference could reveal at most something about a hash of the guess. A caller is named by its
 * key's name (or `anonymous`), which is what logs and refusals show — never the key.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AnonymousTier, ApiKeySpec, AuthConfig, RateLimits } from "./authConfig.js";

/** Every issued key starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const KEY_PREFIX = "pw_";

/** A new key: the prefix and 32 random bytes in base64url (what `perpwatch api-key` prints). */
export function newApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** The lower-case hex SHA-256 of a key: what the configuration lists. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Who a request is, once its key (or the lack of one) has been looked at. */
export interface Caller {
  /** The key's name, or "anonymous". */
  name: string;
  /** Rate windows are kept per this: the key's name, or the client's address for anonymous. */
  bucket: string;
  /** "everything", or "public" (the fields that name no account: publicFields.ts). */
  reads: Exclude<AnonymousTier, "off">;
  /** Whether it may read Ponder's raw tables (`/ponder/graphql`, `/sql/*`). */
  tables: boolean;
  /** Whether it may read Ponder's `/metrics`. */
  metrics: boolean;
  limits: RateLimits;
}

export const ANONYMOUS = "anonymous";

/** What a presented key turned out to be. */
export type KeyLookup =
  | { kind: "key"; caller: Caller }
  | { kind: "revoked"; name: string }
  | { kind: "unknown" };

/** The configured keys, by hash. */
export class KeyRing {
  private readonly byHash = new Map<string, ApiKeySpec>();

  constructor(private readonly config: AuthConfig) {
    for (const k of config.keys) this.byHash.set(k.sha256, k);
  }

  get anonymousTier(): AnonymousTier {
    return this.config.anonymous;
  }

  lookup(key: string): KeyLookup {
    const spec = this.byHash.get(hashApiKey(key));
    if (!spec) return { kind: "unknown" };
    if (spec.revoked) return { kind: "revoked", name: spec.name };
    return {
      kind: "key",
      caller: {
        name: spec.name,
        bucket: `key:${spec.name}`,
        reads: "everything",
        tables: spec.tables,
        metrics: spec.metrics,
        limits: spec.limits,
      },
    };
  }

  /** The caller without a key from `address`, or null when the anonymous tier is off. */
  anonymous(address: string): Caller | null {
    const tier = this.config.anonymous;
    if (tier === "off") return null;
    return {
      name: ANONYMOUS,
      bucket: `anonymous:${address}`,
      reads: tier,
      // The devnet's "everything" includes the raw tables; a public tier never does.
      tables: tier === "everything",
      metrics: tier === "everything",
      limits: this.config.anonymousLimits,
    };
  }
}
