/**
 * The deployment manifest: what the devnet wrote and what the indexer and every other
 * process read to find the exchange (chain id, RPC URL, addresses, start block, markets).
 * Validated with zod on read, so a hand-edited or truncated file fails with one clear line.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 0x-prefixed 20-byte hex address");

export const manifestSchema = z.object({
  version: z.literal(1),
  /** The protocol deployed (protocols/registry.ts); absent: the default (the first one). */
  protocol: z.string().min(1).optional(),
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  startBlock: z.number().int().nonnegative(),
  genesisTimestamp: z.number().int().nonnegative(),
  /** The protocol's contracts by name; the protocol's own `addresses` schema checks them. */
  contracts: z
    .record(z.string(), address)
    .refine((c) => Object.keys(c).length > 0, "at least one contract address"),
  markets: z.array(z.object({ marketId: z.number().int().positive(), symbol: z.string().min(1) })),
  maxPriceAge: z.number().int().positive(),
  deployedAt: z.string(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const DEFAULT_MANIFEST_PATH = ".perpwatch/devnet/manifest.json";

export function writeManifest(path: string, manifest: Manifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`);
}

export function readManifest(path: string = DEFAULT_MANIFEST_PATH): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(
      `manifest ${path}: cannot read it (${(err as Error).message}); run the devnet first`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`manifest ${path}: key "${issue.path.join(".")}" ${issue.message}`);
  }
  return parsed.data;
}
