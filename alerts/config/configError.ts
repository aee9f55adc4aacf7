/**
 * A configuration problem as one line: where (file, rule name, key), what was expected, and
 * what was found. Start-up prints `error.message` and exits; there is never a stack trace
 * for a typo in a rule file.
 */
import type { z } from "zod";

export class AlertsConfigError extends Error {
  override readonly name = "AlertsConfigError";
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = typeof v === "string" ? `"${v}"` : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const k of path) {
    out += typeof k === "number" ? `[${k}]` : out === "" ? String(k) : `.${String(k)}`;
  }
  return out;
}

function expectation(issue: z.core.$ZodIssue): string {
  const m = issue.message.replace(/^Invalid input: /, "");
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
    return `expected one of ${issue.options.map((o: unknown) => String(o)).join(", ")}`;
  }
  if (issue.code === "unrecognized_keys") {
    return `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling`;
  }
  return m.charAt(0).toLowerCase() + m.slice(1);
}

/**
 * One line for the first zod issue: `<where>: rule "name" (rules[3]) key "threshold":
 * expected number, received string (got "high")`. `rulesKey` names the array of rules in the
 * input (so the rule's own name can be quoted).
 */
export function issueLine(
  where: string,
  issue: z.core.$ZodIssue,
  input: unknown,
  rulesPrefix: readonly PropertyKey[] = ["rules"],
): string {
  const path = issue.path;
  const isRule =
    path.length > rulesPrefix.length &&
    rulesPrefix.every((k, i) => path[i] === k) &&
    typeof path[rulesPrefix.length] === "number";
  let subject: string;
  let rest: readonly PropertyKey[];
  if (isRule) {
    const idx = path[rulesPrefix.length] as number;
    const ruleAt = [...rulesPrefix, idx];
    const name = valueAt(input, [...ruleAt, "name"]);
    rest = path.slice(ruleAt.length);
    const label = typeof name === "string" ? `rule "${name}"` : "rule (no name)";
    subject = `${label} (${keyPath(ruleAt)})`;
  } else {
    subject = "";
    rest = path;
  }
  const keys =
    issue.code === "unrecognized_keys" ? [...rest] : rest.length > 0 ? [...rest] : undefined;
  const keyText = keys && keys.length > 0 ? `key "${keyPath(keys)}"` : "";
  const got =
    issue.code === "unrecognized_keys" || issue.code === "custom"
      ? ""
      : ` (got ${show(valueAt(input, path))})`;
  const head = [subject, keyText].filter((s) => s !== "").join(" ");
  return `${where}: ${head === "" ? "" : `${head}: `}${expectation(issue)}${got}`;
}
