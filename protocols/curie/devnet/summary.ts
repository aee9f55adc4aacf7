/** One line that says what a Curie simulation did, for the CLI and benchmark logs. */
import type { CurieSimulationResult } from "./simulator.js";

const usd = (x: number) => Math.round(x).toLocaleString("en-US");

export function curieRunSummary(scenario: string, r: CurieSimulationResult): string {
  const rate = r.seconds > 0 ? `, ${(r.ticks / r.seconds).toFixed(1)} blocks/s` : "";
  return (
    `curie ${scenario}: ${r.ticks} blocks, ${usd(r.transactions)} transactions (${usd(r.reverted)} reverted), ` +
    `${r.liquidations} liquidations (${r.partialLiquidations} partial, ${r.badDebtLiquidations} with bad debt), ` +
    `${r.badDebtSettlements} bad-debt settlements, insurance fund ${usd(r.insuranceFundStart)} -> ${usd(r.insuranceFundEnd)}, ` +
    `funding settled ${usd(r.fundingSettled)} USD, no ADL (Curie has none)${rate}`
  );
}
