/**
 * Canonical block hashes from the chain's JSON-RPC (`eth_getBlockByNumber`, batched): how the
 * worker learns that a block an alert was raised on has been replaced by a reorg.
 *
 * Why the chain and not the API: the API's schema exposes block numbers, not hashes; a
 * block number alone cannot tell the old block 1234 from the new one. Without an RPC URL the
 * worker runs, but cannot retract (it says so once at start-up).
 */

export interface ChainHashes {
  readonly enabled: boolean;
  hashes(numbers: readonly bigint[]): Promise<Map<bigint, string | null>>;
}

export const noChainHashes: ChainHashes = {
  enabled: false,
  hashes: async (numbers) => new Map(numbers.map((n) => [n, null])),
};

export function rpcChainHashes(rpcUrl: string, timeoutMs = 5000): ChainHashes {
  return {
    enabled: true,
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
