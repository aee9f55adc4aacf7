/**
 * Test support: the indexer's tables against the contracts' own views.
 *
 * Markets, positions, bad-debt records, accounts' collateral and the insurance fund are
 * compared with the views at the indexed block; an account's equity and margins are the
 * health at its last touch, so they are compared with `accountHealth` at that block
 * (`health_block`). Returns every difference as one readable line (empty when equal).
 */
import type { Address, PublicClient } from "viem";
import type { Manifest } from "../../../devnet/manifest.js";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../../protocols/reference/contracts/generated/index.js";
import { big, type Row, readTable as readAll } from "./ponderGraphql.js";

async function inChunks<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  }
  return out;
}

function byKey(rows: readonly Row[], ...cols: string[]): Map<string, Row> {
  return new Map(rows.map((r) => [cols.map((c) => String(r[c])).join(":"), r]));
}

export async function compareWithChain(
  ponderUrl: string,
  client: PublicClient,
  manifest: Manifest,
  blockNumber: bigint,
  /** The exchange's configured id, when the tables hold several. */
  exchangeId?: string,
): Promise<string[]> {
  const diffs: string[] = [];
  const readTable = async (url: string, type: string) =>
    (await readAll(url, type)).filter(
      (r) => exchangeId === undefined || (type === "exchange" ? r.id : r.exchange) === exchangeId,
    );
  const exchange = manifest.contracts.exchange as Address;
  const oracle = manifest.contracts.oracle as Address;
  const read = <T>(functionName: string, args: readonly unknown[] = [], at = blockNumber) =>
    client.readContract({
      address: exchange,
      abi: perpExchangeAbi,
      functionName: functionName as never,
      args: args as never,
      blockNumber: at,
    }) as Promise<T>;
  const check = (what: string, table: unknown, chain: unknown) => {
    const t = table === null || table === undefined ? "missing" : big(table).toString();
    const c = typeof chain === "bigint" ? chain.toString() : String(chain);
    if (t !== c) diffs.push(`${what}: table ${t}, chain ${c}`);
  };

  // Exchange scalars.
  const [ex] = await readTable(ponderUrl, "exchange");
  const marketCount = await read<bigint>("marketCount");
  const accountCount = await read<bigint>("accountCount");
  check("exchange.insuranceFund", ex?.insuranceFund, await read<bigint>("insuranceFund"));
  check("exchange.marketCount", ex?.marketCount, marketCount);
  check("exchange.accountCount", ex?.accountCount, accountCount);
  check("exchange.maxPriceAge", ex?.maxPriceAge, await read<bigint>("maxPriceAge"));

  // Markets: parameters, state, funding velocity, oracle price.
  const markets = byKey(await readTable(ponderUrl, "market"), "marketId");
  const marketIds = Array.from({ length: Number(marketCount) }, (_, i) => BigInt(i + 1));
  for (const id of marketIds) {
    const row = markets.get(id.toString());
    const m = await read<{
      symbol: string;
      params: Record<string, bigint>;
      state: Record<string, bigint>;
    }>("getMarket", [id]);
    if (!row) {
      diffs.push(`market ${id}: missing`);
      continue;
    }
    if (row.symbol !== m.symbol) diffs.push(`market ${id}.symbol: ${row.symbol} vs ${m.symbol}`);
    for (const [k, v] of Object.entries(m.params)) {
      check(`market ${id}.${k}`, row[k], v);
    }
    check(`market ${id}.skew`, row.skew, m.state.skew);
    check(`market ${id}.sizeLong`, row.sizeLong, m.state.sizeLong);
    check(`market ${id}.sizeShort`, row.sizeShort, m.state.sizeShort);
    check(`market ${id}.fundingRate`, row.fundingRate, m.state.lastFundingRate);
    check(`market ${id}.fundingIndex`, row.fundingIndex, m.state.lastFundingIndex);
    check(`market ${id}.fundingTime`, row.fundingTime, m.state.lastFundingTime);
    check(`market ${id}.badDebt`, row.badDebt, m.state.badDebt);
    check(`market ${id}.fundingVelocity`, row.fundingVelocity, await read("fundingVelocity", [id]));
    const [price, publishTime] = (await client.readContract({
      address: oracle,
      abi: priceOracleAbi,
      functionName: "getPrice",
      args: [id],
      blockNumber,
    })) as readonly [bigint, bigint];
    check(`market ${id}.price`, row.price, price);
    check(`market ${id}.priceTime`, row.priceTime, publishTime);
  }

  // Accounts: owner, collateral, open markets; health at the last touch.
  const accounts = byKey(await readTable(ponderUrl, "account"), "accountId");
  const positions = byKey(await readTable(ponderUrl, "position"), "accountId", "marketId");
  const records = byKey(await readTable(ponderUrl, "badDebt"), "accountId", "marketId", "isLong");
  const ids = Array.from({ length: Number(accountCount) }, (_, i) => BigInt(i + 1));
  await inChunks(ids, 25, async (id) => {
    const row = accounts.get(id.toString());
    const [owner, collateral, openMarkets] = await read<readonly [string, bigint, bigint]>(
      "getAccount",
      [id],
    );
    if (!row) {
      diffs.push(`account ${id}: missing`);
      return;
    }
    if (String(row.owner).toLowerCase() !== owner.toLowerCase()) {
      diffs.push(`account ${id}.owner: ${row.owner} vs ${owner}`);
    }
    check(`account ${id}.collateral`, row.collateral, collateral);
    check(`account ${id}.openMarkets`, row.openMarkets, openMarkets);
    for (const marketId of marketIds) {
      const key = `${id}:${marketId}`;
      const p = await read<{ size: bigint; lastPrice: bigint; lastFundingIndex: bigint }>(
        "getPosition",
        [id, marketId],
      );
      const prow = positions.get(key);
      check(`position ${key}.size`, prow?.size ?? 0n, p.size);
      if (p.size !== 0n) {
        check(`position ${key}.lastPrice`, prow?.lastPrice, p.lastPrice);
        check(`position ${key}.lastFundingIndex`, prow?.lastFundingIndex, p.lastFundingIndex);
      }
      for (const isLong of [true, false]) {
        const r = await read<{ size: bigint; debt: bigint }>("getAdlRecord", [
          id,
          marketId,
          isLong,
        ]);
        const rrow = records.get(`${key}:${isLong}`);
        check(`bad_debt ${key}:${isLong}.size`, rrow?.size ?? 0n, r.size);
        check(`bad_debt ${key}:${isLong}.debt`, rrow?.debt ?? 0n, r.debt);
      }
    }
  });
  if (accounts.size !== ids.length) {
    diffs.push(`account rows: ${accounts.size}, chain accounts: ${ids.length}`);
  }
  return diffs;
}
