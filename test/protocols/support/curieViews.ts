/**
 * Test support: a Curie exchange as the Perpwatch API serves it, against the contracts' own
 * views at one block. Every account's equity and margin requirement must equal
 * `ClearingHouse.getAccountValue` and `AccountBalance.getMarginRequirementForLiquidation`, its
 * liquidatable verdict their comparison, each position's size
 * `AccountBalance.getTotalPositionSize`; each market's price `AccountBalance.getMarkPrice`; the
 * insurance fund `InsuranceFund.getInsuranceFundCapacity`; the liquidation rows the chain's
 * PositionLiquidated logs; and `mirror_check` must be empty.
 *
 * Why here: the end-to-end, reorg and crash tests all end with the same question — do the
 * indexed figures equal the chain's at the head? — so one comparison answers it for them all.
 */
import { type Address, formatUnits, type PublicClient, parseAbi } from "viem";
import type { Manifest } from "../../../devnet/manifest.js";
import { CURIE_EVENT_ABIS } from "../../../protocols/curie/engine/events.js";
import { readTable } from "../../indexer/support/ponderGraphql.js";

const VIEWS = parseAbi([
  "function getAccountValue(address) view returns (int256)",
  "function getMarginRequirementForLiquidation(address) view returns (int256)",
  "function getTotalPositionSize(address, address) view returns (int256)",
  "function getMarkPrice(address) view returns (uint256)",
  "function getInsuranceFundCapacity() view returns (int256)",
]);

interface ApiAccount {
  id: string;
  owner: Address;
  block: string;
  equity: string;
  maintenanceMargin: string;
  liquidatable: boolean;
  positions: { market: { id: string }; size: string }[];
}

/** What was compared, and every difference as one readable line (none when equal). */
export interface CurieComparison {
  diffs: string[];
  /** The owners of the accounts the API served, lowercase. */
  owners: string[];
  liquidations: number;
}

async function apiAccounts(url: string): Promise<ApiAccount[]> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `{ accounts(first: 1000) { edges { node {
        id owner block equity maintenanceMargin liquidatable positions { market { id } size }
      } } } }`,
    }),
  });
  const body = (await res.json()) as {
    data?: { accounts: { edges: { node: ApiAccount }[] } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`accounts query failed: ${JSON.stringify(body.errors)}`);
  return body.data.accounts.edges.map((e) => e.node);
}

const d18 = (v: bigint) => formatUnits(v, 18);

/** The API of `ponderUrl` against Curie's views at `block` (the block Ponder is at). */
export async function compareCurieWithViews(
  ponderUrl: string,
  client: PublicClient,
  manifest: Manifest,
  block: bigint,
): Promise<CurieComparison> {
  const c = manifest.contracts;
  const read = (address: string, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({
      address: address as Address,
      abi: VIEWS,
      functionName: functionName as never,
      args: args as never,
      blockNumber: block,
    }) as Promise<bigint>;
  const diffs: string[] = [];
  const checks = await readTable(ponderUrl, "mirrorCheck");
  if (checks.length > 0) {
    diffs.push(`mirror_check: ${checks.length} rows, first ${JSON.stringify(checks[0])}`);
  }

  const accounts = await apiAccounts(ponderUrl);
  for (const a of accounts) diffs.push(...(await accountDiffs(a, read, manifest, block)));

  for (const m of await readTable(ponderUrl, "market")) {
    const symbol = String(m.symbol);
    const mark = await read(c.accountBalance!, "getMarkPrice", [c[`${symbol}.baseToken`]]);
    if (String(m.price) !== String(mark)) diffs.push(`${symbol} price ${m.price}, chain ${mark}`);
  }
  const [ex] = await readTable(ponderUrl, "exchange");
  const fund = await read(c.insuranceFund!, "getInsuranceFundCapacity");
  if (String(ex?.insuranceFund) !== String(fund)) {
    diffs.push(`insurance fund ${ex?.insuranceFund}, chain ${fund}`);
  }

  const rows = (await readTable(ponderUrl, "liquidation")).length;
  const logs = await client.getContractEvents({
    address: c.clearingHouse as Address,
    abi: CURIE_EVENT_ABIS.ClearingHouse,
    eventName: "PositionLiquidated",
    fromBlock: BigInt(manifest.startBlock),
    toBlock: block,
  });
  if (rows !== logs.length) diffs.push(`liquidation rows ${rows}, chain logs ${logs.length}`);
  return {
    diffs,
    owners: accounts.map((a) => a.owner.toLowerCase()),
    liquidations: logs.length,
  };
}

async function accountDiffs(
  a: ApiAccount,
  read: (address: string, fn: string, args?: readonly unknown[]) => Promise<bigint>,
  manifest: Manifest,
  block: bigint,
): Promise<string[]> {
  const c = manifest.contracts;
  const out: string[] = [];
  if (a.block !== block.toString()) out.push(`account ${a.id} at block ${a.block}, not ${block}`);
  const value = await read(c.clearingHouse!, "getAccountValue", [a.owner]);
  const margin = await read(c.accountBalance!, "getMarginRequirementForLiquidation", [a.owner]);
  if (a.equity !== d18(value)) out.push(`account ${a.id} equity ${a.equity}, chain ${d18(value)}`);
  if (a.maintenanceMargin !== d18(margin)) {
    out.push(`account ${a.id} margin ${a.maintenanceMargin}, chain ${d18(margin)}`);
  }
  if (a.liquidatable !== value < margin) out.push(`account ${a.id} liquidatable ${a.liquidatable}`);
  for (const m of manifest.markets) {
    const size = await read(c.accountBalance!, "getTotalPositionSize", [
      a.owner,
      c[`${m.symbol}.baseToken`],
    ]);
    const api = a.positions.find((p) => p.market.id === String(m.marketId))?.size ?? "0";
    if (api !== d18(size)) out.push(`account ${a.id} ${m.symbol} size ${api}, chain ${d18(size)}`);
  }
  return out;
}
