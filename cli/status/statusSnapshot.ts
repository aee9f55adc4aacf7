/**
 * What `perpwatch start` shows about the running stack, and how it reads: a pure function
 * from one snapshot to a few lines, so the layout is tested without a terminal.
 *
 * Why these figures: they answer the on-call questions in order — is the chain moving, is
 * the indexer keeping up (and if it is still backfilling, how far along), how many accounts
 * there are, hold positions and are liquidatable now (riskSummary's own figures, at the block
 * they were computed at), and what is paging right now: every critical alert, then the most
 * severe and newest of the rest.
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
  /** What it is about: "ETH", "account 0x12…ab · ETH", "exchange-wide". */
  scope: string;
  /** When it fired (ISO 8601), if known. */
  since?: string | null;
}

/** The API's account figures at one block (riskSummary and `accounts.totalCount`). */
export interface AccountFigures {
  block: number;
  /** Every account the indexer knows. */
  total: number;
  /** riskSummary.accountsWithPositions */
  withPositions: number;
  /** riskSummary.accountsAtRisk: liquidatable at the block. */
  atRisk: number;
}

export interface StatusSnapshot {
  /** Latest block of the chain (null until the node answers). */
  chainHead: number | null;
  /** Latest block the indexer has indexed (null until Ponder answers). */
  indexedBlock: number | null;
  /** Set while Ponder backfills; null once it indexes live. */
  backfill: BackfillProgress | null;
  /** The API's `indexingStatus.live` (null until it answers). */
  live: boolean | null;
  accounts: AccountFigures | null;
  firing: readonly FiringAlert[];
  /** Alerts delivered to webhooks so far, and deliveries waiting in the outbox. */
  delivered: number | null;
  pending: number | null;
}

/** The firing list's length when nothing critical overflows it. */
export const FIRING_LINES = 5;

const bar = (fraction: number, width: number): string =>
  cliProgress.Format.BarFormat(Math.max(0, Math.min(1, fraction)), {
    barsize: width,
    barCompleteString: "█".repeat(width),
    barIncompleteString: "░".repeat(width),
    barGlue: "",
  });

const n = (v: number | null | undefined): string =>
  v === null || v === undefined ? "…" : v.toLocaleString("en-US");

export type IndexerPhase = "starting" | "backfilling" | "catching up" | "indexing live";

/** The indexer's phase in words: what a newcomer waits for. */
export function indexerPhase(s: StatusSnapshot): IndexerPhase {
  if (s.indexedBlock === null) return "starting";
  if (s.backfill !== null) return "backfilling";
  return s.live ? "indexing live" : "catching up";
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const rank = (severity: string) => SEVERITY_RANK[severity] ?? 3;

/** Most severe first; within a severity the newest first (unknown times last). */
export function sortFiring(firing: readonly FiringAlert[]): FiringAlert[] {
  const t = (a: FiringAlert) => (a.since ? Date.parse(a.since) : Number.NEGATIVE_INFINITY);
  return [...firing].sort((a, b) => rank(a.severity) - rank(b.severity) || t(b) - t(a));
}

/** "42s", "3m", "2h" since `since`. */
export function age(since: string | null | undefined, nowMs: number): string {
  if (!since) return "";
  const s = Math.max(0, Math.round((nowMs - Date.parse(since)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h`;
}

/** The alerts shown: every critical, then others up to FIRING_LINES; and how many are not. */
export function visibleFiring(firing: readonly FiringAlert[]): {
  shown: FiringAlert[];
  hidden: FiringAlert[];
} {
  const sorted = sortFiring(firing);
  const criticals = sorted.filter((a) => a.severity === "critical").length;
  const room = Math.max(criticals, FIRING_LINES);
  // A list one line longer than the room says as much as "… and 1 more".
  const cut = sorted.length === room + 1 ? sorted.length : room;
  return { shown: sorted.slice(0, cut), hidden: sorted.slice(cut) };
}

function hiddenLine(hidden: readonly FiringAlert[]): string {
  const by = new Map<string, number>();
  for (const a of hidden) by.set(a.severity, (by.get(a.severity) ?? 0) + 1);
  const parts = [...by].map(([sev, k]) => `${k} ${sev}`).join(", ");
  return `  … and ${hidden.length} more (${parts})`;
}

export function renderStatus(s: StatusSnapshot, nowMs = Date.now()): string[] {
  const lag = s.chainHead !== null && s.indexedBlock !== null ? s.chainHead - s.indexedBlock : null;
  const lines = [
    `chain head ${n(s.chainHead)} · indexed ${n(s.indexedBlock)} · lag ${lag === null ? "…" : `${n(Math.max(0, lag))} blocks`} · ${indexerPhase(s)}`,
  ];
  if (s.backfill !== null) {
    const pct = (s.backfill.fraction * 100).toFixed(1);
    lines.push(
      `backfill   ${bar(s.backfill.fraction, 30)} ${pct}%${s.backfill.eta ? ` · ${s.backfill.eta} left` : ""}`,
    );
  }
  const a = s.accounts;
  lines.push(
    `accounts   ${n(a?.total)} · ${n(a?.withPositions)} with positions · ${n(a?.atRisk)} at risk (liquidatable)${a ? ` · at block ${n(a.block)}` : ""}`,
  );
  const criticals = s.firing.filter((x) => x.severity === "critical").length;
  lines.push(
    `alerts     ${s.firing.length} firing${criticals ? ` (${criticals} critical)` : ""} · ${n(s.delivered)} delivered${s.pending ? ` · ${s.pending} waiting` : ""}`,
  );
  const { shown, hidden } = visibleFiring(s.firing);
  const ruleWidth = Math.max(0, ...shown.map((x) => x.rule.length));
  for (const x of shown) {
    const when = age(x.since, nowMs);
    lines.push(
      `  ▲ ${x.severity.padEnd(8)} ${x.rule.padEnd(ruleWidth)}  ${x.scope}${when ? ` · ${when}` : ""}`,
    );
  }
  if (hidden.length > 0) lines.push(hiddenLine(hidden));
  return lines;
}
