/**
 * Kinds about large accounts: a top account close to liquidation, and open interest
 * concentrated in one account.
 *
 * Why only the top accounts by notional: the risk team cares about the accounts whose
 * liquidation moves the market; paging for every small account near its margin would drown
 * the cascade signal. Accounts that leave the top list (or are liquidated) resolve.
 */
import { pct, usd } from "./format.js";
import type { KindSpec, Measurement } from "./kindSpec.js";

export const accountNearLiquidation: KindSpec<"account_near_liquidation"> = {
  scope: "account",
  direction: "above",
  unit: "ratio",
  summary:
    "Account {{account}} ({{details.notionalUsd}} notional, equity {{details.equityUsd}}) is at margin ratio {{value}} (liquidated at 1; alert ≥ {{threshold}})",
  needs(rule, n) {
    n.topAccounts = Math.max(n.topAccounts, rule.top);
  },
  measure(rule, obs) {
    if (!obs.topAccounts) return { noData: "no top accounts in the observation" };
    return obs.topAccounts
      .slice(0, rule.top)
      .filter((a) => a.notional > 0 && a.notional >= rule.minNotionalUsd)
      .map(
        (a): Measurement => ({
          account: a.id,
          value: a.marginRatio ?? Number.POSITIVE_INFINITY,
          details: { notionalUsd: usd(a.notional), equityUsd: usd(a.equity) },
        }),
      );
  },
};

export const oiConcentration: KindSpec<"oi_concentration"> = {
  scope: "market",
  direction: "above",
  unit: "fraction",
  summary:
    "{{market}}: account {{details.topAccount}} holds {{value}} of open interest ({{details.positionUsd}} of {{details.openInterestUsd}}; ≥ {{threshold}})",
  needs(rule, n) {
    n.markets = true;
    n.topAccounts = Math.max(n.topAccounts, rule.top);
  },
  measure(rule, obs) {
    if (!obs.markets || !obs.topAccounts) return { noData: "no markets or top accounts" };
    const accounts = obs.topAccounts.slice(0, rule.top);
    return obs.markets.map((m): Measurement => {
      let top = { id: "-", notional: 0 };
      for (const a of accounts) {
        for (const p of a.positions) {
          if (p.marketId === m.id && p.notional > top.notional) {
            top = { id: a.id, notional: p.notional };
          }
        }
      }
      return {
        market: { id: m.id, symbol: m.symbol },
        value: m.openInterestUsd > 0 ? top.notional / m.openInterestUsd : 0,
        eligible: m.openInterestUsd > 0 && m.openInterestUsd >= rule.minOpenInterestUsd,
        details: {
          topAccount: top.id,
          positionUsd: usd(top.notional),
          openInterestUsd: usd(m.openInterestUsd),
          share: pct(m.openInterestUsd > 0 ? top.notional / m.openInterestUsd : 0),
        },
      };
    });
  },
};
