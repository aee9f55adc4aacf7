/**
 * The accounting invariant over the indexed tables, at every block: crash-cascade,
 * funding-squeeze and calm, three seeds each, simulated on anvil and indexed by the
 * reference plugin's own mirror (the code Ponder runs, here in process over an in-memory
 * store, so nine chains cost seconds rather than nine Ponder start-ups). After each block the
 * tables — accounts' collateral, the insurance fund, markets' bad debt, the ADL records, and
 * the PnL positions realized (position_change, adl_event) — must account for the exchange's
 * token balance at that block to the wei, against the vault buffer the deployment minted to
 * it; no flat account may hold negative collateral, and the mirror must have found nothing to
 * report (mirror_check empty).
 */
import { decodeEventLog, type Hex, parseEventLogs } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import type { ScenarioName } from "../../devnet/simulator/scenarios.js";
import {
  mockUSDAbi,
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import {
  type SimulatedChain,
  simulateChain,
} from "../../protocols/reference/devnet/simulateChain.js";
import {
  type AdlRecord,
  accountingBreaks,
  adlKey,
  type BalanceSheet,
} from "../../protocols/reference/engine/index.js";
import { ReferenceMirror } from "../../protocols/reference/indexer/mirror.js";
import type { AnyChainEvent } from "../../protocols/reference/indexer/types.js";
import { MemoryDb } from "../../protocols/reference/test/memoryDb.js";

const RUNS: { scenario: ScenarioName; ticks: number }[] = [
  { scenario: "crash-cascade", ticks: 330 },
  { scenario: "funding-squeeze", ticks: 160 },
  { scenario: "calm", ticks: 120 },
];
const SEEDS = [1, 2, 3];
const ACCOUNTS = 40;
const KEY = { id: "ref", protocol: "reference", chainId: 31337 } as const;

type Row = Record<string, unknown>;
const big = (v: unknown) => v as bigint;

/** The exchange's and the oracle's logs, as the plugin hands them to the mirror. */
async function chainEvents(chain: SimulatedChain, head: bigint): Promise<AnyChainEvent[]> {
  const { exchange, oracle } = chain.deployment;
  const logs = await chain.client.public.getLogs({
    address: [exchange, oracle],
    fromBlock: 0n,
    toBlock: head,
  });
  const times = new Map<bigint, bigint>();
  const out: AnyChainEvent[] = [];
  for (const log of logs) {
    const n = log.blockNumber!;
    if (!times.has(n)) {
      times.set(n, (await chain.client.public.getBlock({ blockNumber: n })).timestamp);
    }
    const fromExchange = log.address.toLowerCase() === exchange.toLowerCase();
    const decoded = decodeEventLog({
      abi: fromExchange ? perpExchangeAbi : priceOracleAbi,
      data: log.data,
      topics: log.topics as [Hex, ...Hex[]],
    });
    const args = Object.fromEntries(
      Object.entries(decoded.args as Row).map(([k, v]) => [
        k,
        typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v,
      ]),
    );
    out.push({
      id: `${n.toString().padStart(12, "0")}-${String(log.logIndex).padStart(6, "0")}`,
      exchange: KEY.id,
      name: decoded.eventName,
      args,
      blockNumber: n,
      blockHash: log.blockHash!,
      timestamp: times.get(n)!,
      logIndex: log.logIndex!,
      txHash: log.transactionHash!,
    } as unknown as AnyChainEvent);
  }
  return out;
}

/** The balance sheet the tables describe, with the exchange's token balance at the block. */
function sheetFromTables(db: MemoryDb, tokenBalance: bigint): BalanceSheet {
  const records = new Map<string, Record<string, AdlRecord>>();
  for (const r of db.rows("badDebt")) {
    const key = String(r.accountId);
    const rs = records.get(key) ?? {};
    if (big(r.size) !== 0n || big(r.debt) !== 0n) {
      rs[adlKey(big(r.marketId), r.isLong as boolean)] = { size: big(r.size), debt: big(r.debt) };
    }
    records.set(key, rs);
  }
  const accounts: BalanceSheet["accounts"] = Object.fromEntries(
    db.rows("account").map((a) => [
      String(a.accountId),
      {
        accountId: big(a.accountId),
        collateral: big(a.collateral),
        openMarkets: big(a.openMarkets),
        adlRecords: records.get(String(a.accountId)) ?? {},
      },
    ]),
  );
  return {
    tokenBalance,
    insuranceFund: big(db.rows("exchange")[0]?.insuranceFund ?? 0n),
    accounts,
    markets: db
      .rows("market")
      .map((m) => ({ marketId: big(m.marketId), state: { badDebt: big(m.badDebt) } })),
  };
}

/** Σ PnL + funding positions realized, before ADL charges, from the history tables. */
function traderPnl(db: MemoryDb): bigint {
  let t = 0n;
  for (const r of db.rows("positionChange")) t += big(r.realizedPnl) + big(r.realizedFunding);
  for (const r of db.rows("adlEvent")) t += big(r.lossAbsorbed);
  return t;
}

interface Checked {
  blocks: number;
  liquidations: number;
  badDebt: number;
  adlFills: number;
}

/** Indexes the chain block by block and checks the invariant after every block. */
async function checkEveryBlock(chain: SimulatedChain): Promise<Checked> {
  const head = await chain.client.public.getBlockNumber();
  const { exchange, collateralToken } = chain.deployment;
  // The vault: tokens minted straight to the exchange, outside any of its functions.
  const mints = parseEventLogs({
    abi: mockUSDAbi,
    eventName: "Transfer",
    logs: await chain.client.public.getLogs({ address: collateralToken, fromBlock: 0n }),
  }).filter(
    (l) => l.args.to.toLowerCase() === exchange.toLowerCase() && BigInt(l.args.from) === 0n,
  );
  const buffer = mints.reduce((s, l) => s + l.args.value, 0n);
  expect(buffer).toBeGreaterThan(0n);

  const events = await chainEvents(chain, head);
  const byBlock = new Map<bigint, AnyChainEvent[]>();
  for (const e of events) byBlock.set(e.blockNumber, [...(byBlock.get(e.blockNumber) ?? []), e]);
  const db = new MemoryDb();
  const mirror = new ReferenceMirror({ ...KEY, address: exchange.toLowerCase() as Hex }, true);
  const first = events[0]!.blockNumber;
  const checked: Checked = { blocks: 0, liquidations: 0, badDebt: 0, adlFills: 0 };
  for (let n = first; n <= head; n++) {
    const logs = byBlock.get(n) ?? [];
    for (const ev of logs) await mirror.handle(db.asDb(), ev);
    if (logs.length > 0) {
      await mirror.endBlock(db.asDb(), { number: n, hash: logs[0]!.blockHash });
    }
    const tokenBalance = await chain.client.public.readContract({
      address: collateralToken,
      abi: mockUSDAbi,
      functionName: "balanceOf",
      args: [exchange],
      blockNumber: n,
    });
    const breaks = accountingBreaks(sheetFromTables(db, tokenBalance), {
      buffer,
      traderPnl: traderPnl(db),
    });
    if (breaks.length > 0) throw new Error(`block ${n}: ${breaks.join("; ")}`);
    checked.blocks++;
  }
  expect(db.rows("mirrorCheck")).toEqual([]);
  const liquidations = db.rows("liquidation");
  checked.liquidations = liquidations.length;
  checked.badDebt = liquidations.filter((l) => big(l.badDebt) > 0n).length;
  checked.adlFills = db.rows("adlEvent").length;
  return checked;
}

describe("accounting invariant over the indexed tables, every block", () => {
  const chains: SimulatedChain[] = [];
  afterAll(async () => {
    await Promise.all(chains.map((c) => c.anvil.stop()));
  });

  for (const { scenario, ticks } of RUNS) {
    it.each(SEEDS)(
      `${scenario}, seed %i`,
      async (seed) => {
        const chain = await simulateChain({ scenario, seed, accounts: ACCOUNTS, ticks });
        chains.push(chain);
        const checked = await checkEveryBlock(chain);
        process.stdout.write(`accounting ${scenario} seed ${seed}: ${JSON.stringify(checked)}\n`);
        expect(checked.blocks).toBeGreaterThan(ticks);
        if (scenario === "crash-cascade") expect(checked.liquidations).toBeGreaterThan(0);
        await chain.anvil.stop();
      },
      240_000,
    );
  }
});
