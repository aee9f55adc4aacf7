/**
 * The built-in risk page at `/risk`: what a new user who only ran `npm start` sees of the risk
 * picture, without Docker or Grafana (Grafana stays the production dashboard). One HTML page
 * from the API's own HTTP server with its script and styles inline (nothing from another host:
 * it works air-gapped), reading only the public GraphQL API like any integrator: the markets,
 * each market's liquidation ladder, the accounts closest to liquidation, the insurance fund and
 * the alerts firing. It stays live over the existing `riskSummary` subscription (server-sent
 * events): each event redraws the summary at once and, at most every few seconds, the rest.
 *
 * The ladder is drawn as `perpwatch risk` draws it, cumulative and at the pre-shock mark: the
 * page's script carries cli/ladderNotional.ts's own function (`notionalAtMark.toString()`).
 */
import { notionalAtMark } from "../../engine/analytics/ladderNotional.js";

export const RISK_PAGE_PATH = "/risk";

/** At most one full refresh per this many milliseconds (anonymous callers have a budget). */
const REFRESH_MS = 4000;

/**
 * Everything but the alerts in one request (callers without a key have a request budget:
 * 60 a minute on a `perpwatch start` devnet): the markets, the accounts closest to
 * liquidation and one aliased ladder per market (`LADDER`; the market ids are read once).
 */
const PICTURE_QUERY = `
  markets { id symbol price openInterestUsd }
  accounts(first: 10, orderBy: MARGIN_RATIO_DESC) {
    edges { node { id owner equity maintenanceMargin notional marginRatio liquidatable } }
  }`;

const LADDER =
  "liquidationLadder(marketId: $ID, range: 0.2, step: 0.02) { bins { move accounts liquidatedNotional marketNotional } }";

const ALERTS_QUERY =
  "{ alerts(state: FIRING, first: 50) { rule severity market account startsAt summary } }";

const SUMMARY_SUBSCRIPTION = `subscription {
  riskSummary {
    block timestamp openInterestUsd accountsWithPositions accountsAtRisk insuranceFund
    pendingBadDebt amplificationAt10 cascadeLiquidationsAt10
    liquidatableWithin { pct1 pct3 pct5 pct10 }
  }
}`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #0f1419; color: #e6e6e6; }
header { padding: 12px 20px; background: #1a2129; display: flex; gap: 24px; align-items: baseline; }
h1 { font-size: 18px; margin: 0; } h2 { font-size: 15px; margin: 0 0 8px; color: #9fb3c8; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; padding: 16px 20px; }
section { background: #161c22; border-radius: 6px; padding: 12px 14px; }
table { border-collapse: collapse; width: 100%; } td, th { padding: 3px 6px; text-align: right; }
th { color: #9fb3c8; font-weight: 500; } td:first-child, th:first-child { text-align: left; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
.card b { display: block; font-size: 18px; } .card span { color: #9fb3c8; font-size: 12px; }
.critical { color: #ff6b6b; } .warning { color: #ffc857; } .info { color: #7cc4ff; }
.wide { grid-column: span 2; } #alerts td { text-align: left; vertical-align: top; white-space: nowrap; }
#alerts td:last-child { white-space: normal; }
.live { color: #5fd38d; } .down { color: #ff6b6b; } .note { color: #8391a0; font-size: 12px; }
svg rect.bar { fill: #5b8def; } svg text { fill: #8391a0; font-size: 10px; }
`;

/** The page's script: plain browser JavaScript, no imports. */
function pageScript(): string {
  return `
const notionalAtMark = ${notionalAtMark.toString()};
const $ = (id) => document.getElementById(id);
const usd = (v) => "$" + Math.round(Number(v)).toLocaleString("en-US");
const pct = (v) => (v * 100).toFixed(0) + "%";
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");
async function gql(query, variables) {
  const res = await fetch("/graphql", { method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
}
function card(label, value) { return "<div class=card><b>" + value + "</b><span>" + label + "</span></div>"; }
function drawSummary(s) {
  $("block").textContent = "block " + Number(s.block).toLocaleString("en-US");
  $("updated").textContent = "as of " + new Date(s.timestamp).toISOString().slice(0, 19).replace("T", " ") + " (chain time)";
  const w = s.liquidatableWithin;
  $("summary").innerHTML = card("insurance fund", usd(s.insuranceFund)) +
    card("pending bad debt", usd(s.pendingBadDebt)) +
    card("accounts at risk (liquidatable) / with positions", s.accountsAtRisk + " / " + s.accountsWithPositions) +
    card("open interest", usd(s.openInterestUsd)) +
    card("−10% cascade liquidates", usd(s.cascadeLiquidationsAt10)) +
    card("−10% cascade amplification", s.amplificationAt10 == null ? "n/a" : s.amplificationAt10.toFixed(2) + "×") +
    card("liquidatable within 1% / 3%", usd(w.pct1) + " / " + usd(w.pct3)) +
    card("within 5% / 10%", usd(w.pct5) + " / " + usd(w.pct10));
}
function ladderSvg(bins) {
  const values = bins.map(notionalAtMark);
  const peak = Math.max(0, ...values);
  const max = Math.max(1, peak);
  const W = 400, H = 90, bw = W / bins.length;
  let out = "<svg width=" + W + " height=" + (H + 14) + " role=img>";
  bins.forEach((b, i) => {
    const h = (values[i] / max) * H;
    out += "<rect class=bar x=" + (i * bw + 1).toFixed(1) + " y=" + (H - h).toFixed(1) + " width=" + (bw - 2).toFixed(1) + " height=" + h.toFixed(1) + "><title>" + pct(b.move) + ": " + usd(values[i]) + ", " + b.accounts + " accounts</title></rect>";
  });
  out += "<text x=0 y=" + (H + 12) + ">" + pct(bins[0].move) + "</text><text x=" + (W / 2 - 6) + " y=" + (H + 12) + ">0</text><text x=" + (W - 30) + " y=" + (H + 12) + ">+" + pct(bins[bins.length - 1].move) + "</text></svg>";
  return out + "<div class=note>" + (peak > 0 ? "peak " + usd(peak) : "nothing liquidatable within ±" + pct(bins[bins.length - 1].move)) + "</div>";
}
async function drawPicture() {
  marketIds ??= (await gql("{ markets { id } }")).markets.map((m) => m.id);
  const ladderFields = marketIds.map((id, i) => "l" + i + ": " + ${JSON.stringify(LADDER)}.replace("$ID", JSON.stringify(id)));
  const d = await gql("{" + ${JSON.stringify(PICTURE_QUERY)} + " " + ladderFields.join(" ") + " }");
  $("markets").innerHTML = "<tr><th>market</th><th>price</th><th>open interest</th></tr>" +
    d.markets.map((m) => "<tr><td>" + esc(m.symbol) + "</td><td>" + Number(m.price).toLocaleString("en-US", { maximumSignificantDigits: 6 }) + "</td><td>" + usd(m.openInterestUsd) + "</td></tr>").join("");
  $("accounts").innerHTML = "<tr><th>account</th><th>margin ratio</th><th>equity</th><th>maint. margin</th><th>notional</th></tr>" +
    d.accounts.edges.map(({ node: a }) => "<tr" + (a.liquidatable ? " class=critical" : "") + "><td>" + esc(a.id) + "</td><td>" + (a.marginRatio == null ? "–" : Number(a.marginRatio).toFixed(3)) + "</td><td>" + usd(a.equity) + "</td><td>" + usd(a.maintenanceMargin) + "</td><td>" + usd(a.notional) + "</td></tr>").join("");
  const ladders = d.markets.map((m) => [m, d["l" + marketIds.indexOf(m.id)]]).filter(([, l]) => l);
  $("ladders").innerHTML = ladders.map(([m, l]) => "<div class=ladder data-market=" + esc(m.symbol) + "><b>" + esc(m.symbol) + "</b> " + ladderSvg(l.bins) + "</div>").join("");
  try {
    const a = await gql(${JSON.stringify(ALERTS_QUERY)});
    const rank = { critical: 0, warning: 1, info: 2 };
    a.alerts.sort((x, y) => (rank[x.severity] ?? 3) - (rank[y.severity] ?? 3) || Date.parse(y.startsAt) - Date.parse(x.startsAt));
    $("alerts").innerHTML = a.alerts.length === 0 ? "<p class=note>nothing firing</p>" :
      "<table>" + a.alerts.map((x) => "<tr><td class=" + esc(x.severity) + ">" + esc(x.severity) + "</td><td>" + esc(x.rule) + "</td><td>" + esc(x.account ? "account " + x.account : x.market ?? "exchange-wide") + "</td><td style='text-align:left'>" + esc(x.summary) + "</td></tr>").join("") + "</table>";
  } catch (err) {
    $("alerts").innerHTML = "<p class=note>" + esc(err.message) + "</p>";
  }
  document.body.dataset.drawnBlock = $("block").textContent;
}
let last = 0, pending = null, marketIds = null;
function refresh() {
  const wait = Math.max(0, last + ${REFRESH_MS} - Date.now());
  if (pending) return;
  pending = setTimeout(() => { last = Date.now(); drawPicture().catch((e) => { $("state").textContent = e.message; }).finally(() => { pending = null; }); }, wait);
}
function subscribe() {
  const url = "/graphql?query=" + encodeURIComponent(${JSON.stringify(SUMMARY_SUBSCRIPTION)});
  const source = new EventSource(url);
  source.addEventListener("next", (e) => {
    const s = JSON.parse(e.data).data?.riskSummary;
    if (!s) return;
    $("state").textContent = "live"; $("state").className = "live";
    drawSummary(s);
    refresh();
  });
  source.onerror = () => { $("state").textContent = "reconnecting…"; $("state").className = "down"; };
}
subscribe();
`;
}

/** The page (rendered once). */
export const riskPageHtml: () => string = (() => {
  let html: string | null = null;
  return () => {
    html ??= `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Perpwatch risk</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head>
<body>
<header><h1>Perpwatch risk</h1><span id="block">connecting…</span><span id="updated"></span><span id="state">connecting…</span>
<span class="note">GraphQL: <a href="/graphql" style="color:#7cc4ff">/graphql</a> (GraphiQL)</span></header>
<main>
<section><h2>Summary</h2><div id="summary" class="cards"></div></section>
<section class="wide"><h2>Alerts firing</h2><div id="alerts"></div></section>
<section><h2>Markets</h2><table id="markets"></table></section>
<section><h2>Liquidation ladders</h2><p class="note">Cumulative notional of the accounts a move of that size would liquidate (USD at the pre-shock mark, whole accounts), by the market's move, −20% … +20%, the other prices fixed.</p><div id="ladders"></div></section>
<section><h2>Closest to liquidation</h2><table id="accounts"></table></section>
</main>
<script>${pageScript()}</script>
</body></html>`;
    return html;
  };
})();

/** The route: GET answers the page; it reads only what `/graphql` serves. */
export function riskPageResponse(): Response {
  return new Response(riskPageHtml(), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}
