/**
 * What `perpwatch start` shows about the running stack, and how it reads: a pure function
 * from one snapshot to a few lines, so the layout is tested without a terminal.
 *
 * Why these figures: they answer the on-call questions in order — is the chain moving, is
 * the indexer keeping up (and if it is still backfilling, how far along), how many accounts
 * are close to liquidation, and what is paging right now.
 */
import cliProgress from "cli-progress";

export interface BackfillProgress {
  /** 0..1 */
  fraction: number;
  /** Ponder's own estimate of the time left, as it prints it ("32s"), if any. */
  eta?: string;
}

export interface FiringAlert {
  rule: string;
  severity: string;
  /** e.g. "ETH" or "global". */
  scope: string;
}

export interface StatusSnapshot {
  /** Latest block of the chain (null until the node answers). */
  chainHead: number | null;
  /** Latest block the indexer has indexed (null until Ponder answers). */
  indexedBlock: number | null;
  /** Set while Ponder backfills; null once it indexes live. */
  backfill: BackfillProgress | null;
  /** Accounts whose margin ratio is at or above the API's at-risk threshold. */
  accountsAtRisk: number | null;
  /** Accounts indexed. */
  accounts: number | null;
  firing: readonly FiringAlert[];
  /** Alerts delivered to webhooks so far, and deliveries waiting in the outbox. */
  delivered: number | null;
  pending: number | null;
}

const bar = (fraction: number, width: number): string =>
  cliProgress.Format.BarFormat(Math.max(0, Math.min(1, fraction)), {
    barsize: width,
    barCompleteString: "█".repeat(width),
    barIncompleteString: "░".repeat(width),
    barGlue: "",
  });

const n = (v: number | null): string => (v === null ? "…" : v.toLocaleString("en-US"));

/** The indexer's phase in words: what a newcomer waits for. */
export function indexerPhase(s: StatusSnapshot): "starting" | "backfilling" | "indexing live" {
  if (s.indexedBlock === null) return "starting";
  if (s.backfill !== null) return "backfilling";
  return "indexing live";
}

export function renderStatus(s: StatusSnapshot): string[] {
  const lag = s.chainHead !== null && s.indexedBlock !== null ? s.chainHead - s.indexedBlock : null;
  const phase = indexerPhase(s);
  const lines = [
    `chain head ${n(s.chainHead)} · indexed ${n(s.indexedBlock)} · lag ${lag === null ? "…" : `${Math.max(0, lag)} blocks`} · ${phase}`,
  ];
  if (s.backfill !== null) {
    const pct = (s.backfill.fraction * 100).toFixed(1);
    lines.push(
      `backfill   ${bar(s.backfill.fraction, 30)} ${pct}%${s.backfill.eta ? ` · ${s.backfill.eta} left` : ""}`,
    );
  }
  lines.push(
    `accounts   ${n(s.accounts)} indexed · ${n(s.accountsAtRisk)} at risk · alerts ${s.firing.length} firing · ${n(s.delivered)} delivered${s.pending ? ` · ${s.pending} waiting` : ""}`,
  );
  for (const a of s.firing.slice(0, 5))
    lines.push(`  ▲ ${a.severity.padEnd(8)} ${a.rule} (${a.scope})`);
  if (s.firing.length > 5) lines.push(`  … and ${s.firing.length - 5} more`);
  return lines;
}
