import { describe, expect, it } from "vitest";
import type { ApiServices, ExchangeServices } from "../context.js";
import { replicaReport } from "./replicaStatus.js";

/** One exchange's services as the report reads them: the block served, the checkpoint, live. */
function services(
  id: string,
  chain: string,
  chainId: number,
  at: { served: number | null; checkpoint: number | null; live: boolean },
): [string, ApiServices] {
  const s = {
    exchange: { id, chainId },
    snapshots: {
      current: async () => {
        if (at.served === null) throw new Error("NOT_READY");
        return { block: BigInt(at.served), timestamp: BigInt(1000 + at.served) };
      },
    },
    reader: {
      chainName: chain,
      indexedBlock: async () =>
        at.checkpoint === null ? null : { block: BigInt(at.checkpoint), timestamp: 0n },
      isReady: async () => at.live,
    },
  };
  return [id, s as unknown as ApiServices];
}

const of = (...xs: [string, ApiServices][]): ExchangeServices => new Map(xs);

describe("replicaReport", () => {
  it("is ready when live and every exchange serves within the lag; /status names the blocks served", async () => {
    const r = await replicaReport(
      of(
        services("a", "perpwatch", 1, { served: 99, checkpoint: 100, live: true }),
        services("b", "perpwatch-5", 5, { served: 40, checkpoint: 40, live: true }),
      ),
      2,
    );
    expect(r.ready).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.status).toEqual({
      perpwatch: { id: 1, block: { number: 99, timestamp: 1099 } },
      "perpwatch-5": { id: 5, block: { number: 40, timestamp: 1040 } },
    });
  });

  it("is not ready further behind than the lag, before the backfill, or before any block", async () => {
    const behind = await replicaReport(
      of(services("a", "perpwatch", 1, { served: 97, checkpoint: 100, live: true })),
      2,
    );
    expect(behind.ready).toBe(false);
    expect(behind.reason).toBe('exchange "a": serving block 97, the indexer is at 100');
    const backfill = await replicaReport(
      of(services("a", "perpwatch", 1, { served: 100, checkpoint: 100, live: false })),
      2,
    );
    expect(backfill.reason).toBe("the indexer has not finished its historical backfill");
    const none = await replicaReport(
      of(services("a", "perpwatch", 1, { served: null, checkpoint: 3, live: true })),
      2,
    );
    expect(none.reason).toBe('exchange "a": no block served yet');
    expect(none.status).toEqual({});
  });

  it("two exchanges on one chain: /status names the older block served", async () => {
    const r = await replicaReport(
      of(
        services("a", "perpwatch", 1, { served: 50, checkpoint: 50, live: true }),
        services("b", "perpwatch", 1, { served: 49, checkpoint: 50, live: true }),
      ),
      0,
    );
    expect(r.status.perpwatch?.block.number).toBe(49);
    expect(r.reason).toBe('exchange "b": serving block 49, the indexer is at 50');
  });
});
