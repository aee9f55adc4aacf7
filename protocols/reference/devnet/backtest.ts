/**
 * The reference exchange's binding for the alert backtest (`perpwatch backtest`): a seeded
 * scenario of a family (backtestScenarios.ts) run on the exact engine in memory
 * (engineSimulator.ts), each block observed as the API would answer (engineObservation.ts).
 *
 * Why a binding: the backtest's runner (alerts/service/backtest.ts) is the worker's evaluator
 * and lifecycle, the same for every protocol; what is simulated, and how, is the protocol's.
 */
import {
  BACKTEST_EXCHANGE,
  type BacktestBinding,
  type BacktestBlock,
} from "../../../alerts/service/backtest.js";
import { drawScenario, FAMILIES, type Family } from "./backtestScenarios.js";
import { engineObservation } from "./engineObservation.js";
import { EngineSimulator } from "./engineSimulator.js";
import { DEFAULT_MARKETS } from "./markets.js";

/** The devnet's markets, in market-index order (a crash names its market by index). */
const SYMBOLS = DEFAULT_MARKETS.map((m) => m.symbol);

const isFamily = (f: string): f is Family => (FAMILIES as readonly string[]).includes(f);

export const referenceBacktest: BacktestBinding = {
  families: FAMILIES,
  start(family, seed, { accounts }) {
    if (!isFamily(family)) {
      throw new Error(
        `backtest: unknown scenario family "${family}"; expected ${FAMILIES.join(", ")}`,
      );
    }
    const drawn = drawScenario(family, seed);
    const sim = new EngineSimulator({ scenario: drawn.scenario, seed: drawn.seed, accounts });
    return {
      family,
      seed,
      description: drawn.scenario.description,
      ticks: drawn.scenario.ticks,
      crash: drawn.crash
        ? {
            startTick: drawn.crash.startTick,
            market: SYMBOLS[drawn.crash.market] ?? String(drawn.crash.market + 1),
          }
        : null,
      step(): BacktestBlock {
        const b = sim.step();
        return {
          tick: b.tick,
          blockNumber: b.blockNumber,
          timestamp: b.timestamp,
          liquidations: b.events.flatMap((ev) =>
            ev.name === "AccountLiquidated"
              ? [
                  {
                    accountId: ev.args.accountId.toString(),
                    notional: Number(ev.args.notional) / 1e18,
                    badDebt: Number(ev.args.badDebt) / 1e18,
                    insuranceCovered: Number(ev.args.insuranceCovered) / 1e18,
                  },
                ]
              : [],
          ),
          insuranceFund: Number(b.state.insuranceFund) / 1e18,
          observe: (liquidations, needs) =>
            engineObservation(
              {
                exchangeId: BACKTEST_EXCHANGE,
                state: b.state,
                blockNumber: b.blockNumber,
                timestamp: b.timestamp,
                liquidations,
              },
              needs,
            ),
        };
      },
    };
  },
};
