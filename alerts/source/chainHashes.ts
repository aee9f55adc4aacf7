/**
 * Canonical block hashes from the chain's JSON-RPC (`eth_getBlockByNumber`, batched): how the
 * worker learns that a block an alert was raised on has been replaced by a reorg.
 *
 * Why the chain and not the API: the API's schema exposes block numbers, not hashes; a
 * block number alone cannot tell the old block 1234 from the new one. Without an RPC URL the
 * worker runs, but cannot retract (it says so once at start-up).
 *
 * One RPC is one chain: with exchanges on several chains, its hashes are used only for the
 * exchanges on the chain it answers `eth_chainId` for (another chain's block 1234 is not this
 * one's).
 */

export interface ChainHashes {
  readonly enabled: boolean;
  hashes(numbers: readonly bigint[]): Promise<Map<bigint, string | null>>;
  /** The chain's id (`eth_chainId`), null when unknown (no RPC, or it did not say). */
  chainId(): Promise<number | null>;
}

export const noChainHashes: ChainHashes = {
  enabled: false,
  hashes: async (numbers) => new Map(numbers.map((n) => [n, null])),
  chainId: async () => null,
};

export function rpcChainHashes(rpcUrl: string, timeoutMs = 5000): ChainHashes {
  let chainId: number | null = null;
  return {
    enabled: true,
    async chainId() {
      if (chainId !== null) return chainId;
      try {
        const res = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const answer = (await res.json()) as { result?: unknown };
        if (typeof answer.result === "string" && /^0x[0-9a-f]+$/i.test(answer.result)) {
          chainId = Number.parseInt(answer.result, 16);
        }
      } catch {
        // Unknown this time; asked again next time.
      }
      return chainId;
    },
    async hashes(numbers) {
      const out = new Map<bigint, string | null>();
      const unique = [...new Set(numbers)];
      if (unique.length === 0) return out;
      const body = unique.map((n, id) => ({
        jsonrpc: "2.0",
        id,
        method: "eth_getBlockByNumber",
        params: [`0x${n.toString(16)}`, false],
      }));
      try {
        const res = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const answers = (await res.json()) as { id: number; result?: { hash?: string } | null }[];
        for (const a of Array.isArray(answers) ? answers : []) {
          const n = unique[a.id];
          if (n !== undefined) out.set(n, a.result?.hash ?? null);
        }
      } catch {
        // Unknown this time: no retraction decision is taken on a missing hash.
      }
      for (const n of unique) if (!out.has(n)) out.set(n, null);
      return out;
    },
  };
}
