/**
 * `perpwatch risk`: one market's liquidation ladder and a cascade from a shock, drawn in the
 * terminal from the running API — because a risk engineer reads a ladder's shape faster than
 * its numbers. Everything comes from `/graphql` (the same queries an integrator would send);
 * nothing is computed here.
 */
import asciichart from "asciichart";
import type { Command } from "commander";
import { z } from "zod";
import { notionalAtMark } from "../engine/analytics/ladderNotional.js";
import { ApiError, createApiClient } from "../runtime/apiClient.js";
import { DEFAULT_API, parseApiUrl } from "./apiUrl.js";
import { UsageError } from "./usageError.js";

export interface RawRiskOptions {
  market: string;
  api: string;
  shock: string;
  impact: string;
  range: string;
  step: string;
  height: string;
}

const optionsSchema = z.object({
  market: z.string().min(1),
  shock: z.coerce
    .number()
    .gt(-1, "expected a fraction strictly between -1 and 1, e.g. -0.1")
    .lt(1, "expected a fraction strictly between -1 and 1, e.g. -0.1"),
  impact: z.enum(["square-root", "linear-depth", "none"]),
  range: z.coerce
    .number()
    .gt(0, "expected a fraction in (0, 1]")
    .max(1, "expected a fraction in (0, 1]"),
  step: z.coerce
    .number()
    .gt(0, "expected a positive fraction")
    .max(0.5, "expected a fraction ≤ 0.5"),
  height: z.coerce.number().int().min(4).max(60),
});

const FLAGS: Record<string, string> = {
  market: "--market",
  api: "--api",
  shock: "--shock",
  impact: "--impact",
  range: "--range",
  step: "--step",
  height: "--height",
};

export function addRiskOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--market <symbol|id>", "market to chart, by symbol (ETH) or id (2)")
    .option("--api <url>", "the API: its root URL or its /graphql URL", DEFAULT_API)
    .option("--shock <fraction>", "initial move of the cascade, e.g. -0.1 for 10% down", "-0.1")
    .option("--impact <model>", "market impact: square-root, linear-depth or none", "square-root")
    .option("--range <fraction>", "ladder: largest move either way", "0.3")
    .option("--step <fraction>", "ladder: bin width", "0.01")
    .option("--height <rows>", "chart height in rows", "12");
}

interface MarketRow {
  id: string;
  symbol: string;
  price: string;
}

interface LadderAnswer {
  liquidationLadder: {
    block: string;
    bins: {
      move: number;
      price: number;
      accounts: number;
      liquidatedNotional: number;
      marketNotional: number;
      badDebt: number;
    }[];
    within: { pct1: number; pct3: number; pct5: number; pct10: number };
  };
  cascade: {
    block: string;
    liquidatedNotional: number;
    liquidatedAccounts: number;
    badDebt: number;
    insuranceCovered: number;
    insuranceCoverage: number;
    adlTriggered: boolean;
    amplification: number | null;
    converged: boolean;
    rounds: {
      round: number;
      liquidatedNotional: number;
      liquidatedAccounts: number;
      insuranceFund: number;
      moves: { market: { id: string }; move: number; price: number }[];
    }[];
  };
}

const usd = (v: number): string => `$${Math.round(v).toLocaleString("en-US")}`;
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function parse(raw: RawRiskOptions) {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    throw new UsageError(
      `option ${FLAGS[key] ?? key}: ${issue.message} (got ${JSON.stringify((raw as unknown as Record<string, unknown>)[key])})`,
    );
  }
  return parsed.data;
}

/** Renders the two charts and the cascade's summary as text (exported for tests). */
export function renderRisk(
  market: MarketRow,
  shock: number,
  a: LadderAnswer,
  height: number,
): string {
  const L = a.liquidationLadder;
  const C = a.cascade;
  const out: string[] = [];
  const bins = L.bins;
  out.push(
    `${market.symbol} liquidation ladder at block ${L.block}: by ${market.symbol} move (${pct(bins[0]!.move)} … ${pct(bins.at(-1)!.move)}), the notional of every account a move that large would liquidate`,
  );
  out.push(
    "  cumulative (each bin includes the smaller moves' accounts); USD at the pre-shock mark, whole accounts, all their markets",
  );
  out.push(
    asciichart.plot(bins.map(notionalAtMark), {
      height,
      format: (x: number) => usd(x).padStart(14),
    }),
  );
  out.push(
    `${" ".repeat(16)}${pct(bins[0]!.move)}${" ".repeat(Math.max(1, bins.length - 14))}${pct(bins.at(-1)!.move)}`,
  );
  out.push(
    `within 1% ${usd(L.within.pct1)} · 3% ${usd(L.within.pct3)} · 5% ${usd(L.within.pct5)} · 10% ${usd(L.within.pct10)} (either direction; USD at the moved price, as the API's within)`,
  );
  out.push("");
  out.push(
    `cascade from a ${pct(shock)} ${market.symbol} shock at block ${C.block}: ${market.symbol} move after each round`,
  );
  const path = [
    shock,
    ...C.rounds.map((r) => r.moves.find((m) => m.market.id === market.id)?.move ?? shock),
  ];
  out.push(
    asciichart.plot(
      path.map((m) => m * 100),
      {
        height: Math.max(4, Math.round(height / 2)),
        format: (x: number) => `${x.toFixed(2)}%`.padStart(9),
      },
    ),
  );
  out.push(
    `${C.rounds.length} rounds${C.converged ? " (fixed point)" : " (round limit)"} · ${C.liquidatedAccounts} accounts · ${usd(C.liquidatedNotional)} liquidated · bad debt ${usd(C.badDebt)} · fund covers ${pct(C.insuranceCoverage)} · ADL ${C.adlTriggered ? "WOULD TRIGGER" : "no"} · amplification ${C.amplification === null ? "n/a" : `${C.amplification.toFixed(2)}×`}`,
  );
  return out.join("\n");
}

const IMPACT = {
  "square-root": "SQUARE_ROOT",
  "linear-depth": "LINEAR_DEPTH",
  none: "NONE",
} as const;

export async function runRiskCommand(raw: RawRiskOptions): Promise<void> {
  const o = parse(raw);
  const api = createApiClient({ url: parseApiUrl(raw.api).graphql, timeoutMs: 60_000 });
  try {
    const { markets } = await api.query<{ markets: MarketRow[] }>(
      "{ markets { id symbol price } }",
    );
    const market = markets.find(
      (m) => m.id === o.market || m.symbol.toLowerCase() === o.market.toLowerCase(),
    );
    if (!market) {
      throw new UsageError(
        `option --market: no market ${JSON.stringify(o.market)} (expected one of ${markets.map((m) => `${m.symbol} (${m.id})`).join(", ")})`,
      );
    }
    const answer = await api.query<LadderAnswer>(
      `query ($m: ID!, $range: Float!, $step: Float!, $shock: Float!, $impact: ImpactModel!) {
        liquidationLadder(marketId: $m, range: $range, step: $step) {
          block bins { move price accounts liquidatedNotional marketNotional badDebt }
          within { pct1 pct3 pct5 pct10 }
        }
        cascade(shock: { marketId: $m, move: $shock }, impact: { model: $impact }) {
          block liquidatedNotional liquidatedAccounts badDebt insuranceCovered insuranceCoverage
          adlTriggered amplification converged
          rounds { round liquidatedNotional liquidatedAccounts insuranceFund moves { market { id } move price } }
        }
      }`,
      { m: market.id, range: o.range, step: o.step, shock: o.shock, impact: IMPACT[o.impact] },
    );
    process.stdout.write(`${renderRisk(market, o.shock, answer, o.height)}\n`);
  } catch (err) {
    if (err instanceof ApiError && err.kind === "unreachable") {
      throw new UsageError(`${err.message} — is \`perpwatch start\` running? (or pass --api)`);
    }
    throw err;
  }
}
