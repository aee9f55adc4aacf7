/**
 * What one mined block did on a Curie devnet, from its receipts: reverts (by the kind of
 * transaction the simulator sent), liquidations (partial or whole, with bad debt or not),
 * bad debt the keeper settled, and funding settled. Curie has no ADL.
 */
import { type Abi, decodeEventLog, type Hash, type Hex, type Log, toHex } from "viem";
import type { ChainClient } from "../../../devnet/chain.js";
import { fromD18 } from "../../../engine/analytics/d18.js";
import { curie } from "./artifacts.js";
import type { CurieDeployment } from "./deploy.js";

export interface BlockDigest {
  reverted: number;
  revertedByKind: Record<string, number>;
  liquidations: number;
  /** Liquidations that left part of the position (the account may still be liquidatable). */
  partialLiquidations: number;
  /** Liquidations whose transaction also settled bad debt. */
  badDebtLiquidations: number;
  /** BadDebtSettled from the keeper's own `Vault.settleBadDebt`. */
  badDebtSettlements: number;
  /** Bad debt settled against the insurance fund, USD. */
  badDebt: number;
  /** Sum of |FundingPaymentSettled|, USD. */
  fundingSettled: number;
}

interface Receipt {
  status: string;
  transactionHash: Hash;
  logs: Log[];
}

function decode(abi: Abi, log: Log): { eventName: string; args: Record<string, unknown> } | null {
  try {
    return decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] }) as never;
  } catch {
    return null;
  }
}

/**
 * Reads block `blockNumber`'s receipts. `kinds` maps each sent hash to its kind (consumed);
 * `sizes` holds, per `trader:market` sent to liquidation, the size at the block's start.
 */
export async function digestBlock(
  client: ChainClient,
  d: CurieDeployment,
  blockNumber: bigint,
  kinds: Map<string, string>,
  sizes: ReadonlyMap<string, bigint>,
): Promise<BlockDigest> {
  const receipts = await client.rpc<Receipt[]>("eth_getBlockReceipts", [toHex(blockNumber)]);
  const out: BlockDigest = {
    reverted: 0,
    revertedByKind: {},
    liquidations: 0,
    partialLiquidations: 0,
    badDebtLiquidations: 0,
    badDebtSettlements: 0,
    badDebt: 0,
    fundingSettled: 0,
  };
  const ch = d.clearingHouse.toLowerCase();
  const vault = d.vault.toLowerCase();
  const markets = d.markets.map((m) => m.baseToken.toLowerCase());
  for (const r of receipts) {
    const kind = kinds.get(r.transactionHash) ?? "other";
    kinds.delete(r.transactionHash);
    if (r.status !== "0x1") {
      out.reverted += 1;
      out.revertedByKind[kind] = (out.revertedByKind[kind] ?? 0) + 1;
      continue;
    }
    let liquidated = false;
    let badDebt = false;
    for (const log of r.logs) {
      const at = log.address.toLowerCase();
      if (at === ch) {
        const ev = decode(curie.ClearingHouse().abi, log);
        if (ev?.eventName === "PositionLiquidated") {
          liquidated = true;
          out.liquidations += 1;
          const trader = String(ev.args.trader).toLowerCase();
          const market = markets.indexOf(String(ev.args.baseToken).toLowerCase());
          const before = sizes.get(`${trader}:${market}`) ?? 0n;
          const abs = before < 0n ? -before : before;
          if ((ev.args.positionSize as bigint) < abs) out.partialLiquidations += 1;
        } else if (ev?.eventName === "FundingPaymentSettled") {
          out.fundingSettled += Math.abs(fromD18(ev.args.fundingPayment as bigint));
        }
      } else if (at === vault) {
        const ev = decode(curie.Vault().abi, log);
        if (ev?.eventName === "BadDebtSettled") {
          badDebt = true;
          out.badDebt += fromD18(ev.args.amount as bigint);
        }
      }
    }
    if (liquidated && badDebt) out.badDebtLiquidations += 1;
    else if (badDebt) out.badDebtSettlements += 1;
  }
  return out;
}
