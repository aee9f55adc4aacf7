/**
 * The analytics the API computes on request — ladders, cascades, stress grids, VaR — as plain
 * job descriptions: what the admission queue keys, single-flights and hands to an analytics
 * worker, and the one function that runs a job on a book's analytics wherever it runs (an
 * analytics worker or, with no workers, the API's own thread).
 *
 * Why plain data: a job and its result cross a worker boundary (structured clone), so neither
 * may hold functions or snapshot objects; the resolvers turn results into GraphQL nodes.
 */
import type { CascadeResult, MarketLadder, StressGrid } from "../../engine/analytics/index.js";
import type { BookAnalytics, ImpactChoice } from "../analytics/bookAnalytics.js";

export type AnalyticsJob =
  | { kind: "ladder"; marketId: bigint; range: number; step: number }
  | {
      kind: "cascade";
      marketId?: bigint;
      move: number;
      impact: ImpactChoice;
      maxRounds: number;
      spillover: boolean;
    }
  | {
      kind: "stress";
      shocks?: readonly number[];
      withImpact: boolean;
      impact: ImpactChoice;
      marketId?: bigint;
    }
  | { kind: "var"; paths: number; seed: number };

export type VarFigures = ReturnType<BookAnalytics["valueAtRisk"]>;

/** What each kind of job returns. */
export interface JobResults {
  ladder: MarketLadder;
  cascade: CascadeResult;
  stress: StressGrid;
  var: VarFigures;
}

export type ResultOf<J extends AnalyticsJob> = JobResults[J["kind"]];

/** One string per distinct computation (same key, same figures at one block). */
export function jobKey(job: AnalyticsJob): string {
  switch (job.kind) {
    case "ladder":
      return `ladder:${job.marketId}:${job.range}:${job.step}`;
    case "cascade":
      return `cascade:${job.marketId ?? "all"}:${job.move}:${job.impact.model}:${job.impact.scale}:${job.maxRounds}:${job.spillover}`;
    case "stress":
      return `stress:${job.shocks?.join(",") ?? "default"}:${job.withImpact}:${job.impact.model}:${job.impact.scale}:${job.marketId ?? "all"}`;
    case "var":
      return `var:${job.paths}:${job.seed}`;
  }
}

/** Runs a job on a book's analytics (each figure kept by the analytics for its block). */
export function runJob<J extends AnalyticsJob>(a: BookAnalytics, job: J): ResultOf<J> {
  let r: JobResults[keyof JobResults];
  switch (job.kind) {
    case "ladder":
      r = a.ladder(job.marketId, job.range, job.step);
      break;
    case "cascade":
      r = a.cascade(
        { marketId: job.marketId, move: job.move },
        job.impact,
        job.maxRounds,
        job.spillover,
      );
      break;
    case "stress":
      r = a.stress(job);
      break;
    case "var":
      r = a.valueAtRisk(job.paths, job.seed);
      break;
  }
  return r as ResultOf<J>;
}
