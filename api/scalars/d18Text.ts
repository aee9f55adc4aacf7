/**
 * 18-decimal fixed point ↔ decimal text, exactly.
 *
 * Why: the contract's amounts are integers of wei (D18); a JavaScript number cannot hold them
 * (2^53 ≈ 9·10^15 wei is less than a cent of a dollar amount at 18 decimals), so the API
 * writes them as decimal strings and reads them from decimal strings, digit by digit, with no
 * float anywhere. Output is the shortest exact form: no trailing zeros, no exponent.
 */

const SCALE = 10n ** 18n;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;
const EXPONENT = /^(-)?(\d+)(?:\.(\d*))?[eE]([+-]?\d+)$/;

/** `1500000000000000000n` → `"1.5"`, `-5n` → `"-0.000000000000000005"`. */
export function formatD18(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / SCALE;
  const frac = (a % SCALE).toString().padStart(18, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/**
 * Decimal text → D18, or an error sentence. Accepts `"12"`, `"-0.5"`, and (for numbers a
 * client sent as JSON) exponent forms like `"1e-7"`; rejects more than 18 decimals rather than
 * rounding, so what arrives is exactly what was written.
 */
export function parseD18(text: string): { ok: true; value: bigint } | { ok: false; why: string } {
  const t = text.trim();
  let sign = "";
  let digits: string;
  let point: number;
  const m = DECIMAL.exec(t);
  if (m) {
    sign = m[1] ?? "";
    digits = m[2]! + (m[3] ?? "");
    point = m[2]!.length;
  } else {
    const e = EXPONENT.exec(t);
    if (!e) return { ok: false, why: 'a decimal number such as "1234.5" or "-0.01"' };
    sign = e[1] ?? "";
    digits = e[2]! + (e[3] ?? "");
    const exp = Number(e[4]);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 200) {
      return { ok: false, why: "a decimal number with a reasonable exponent" };
    }
    point = e[2]!.length + exp;
  }
  // digits with the decimal point after `point` digits (may be negative or beyond the end).
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  const whole = digits.slice(0, point).padEnd(point, "0") || "0";
  let frac = digits.slice(point).replace(/0+$/, "");
  if (frac.length > 18) return { ok: false, why: "at most 18 decimal places" };
  frac = frac.padEnd(18, "0");
  const abs = BigInt(whole) * SCALE + BigInt(frac);
  if (abs > 10n ** 60n * SCALE) return { ok: false, why: "a number below 10^60" };
  return { ok: true, value: sign === "-" ? -abs : abs };
}
