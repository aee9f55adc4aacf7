/**
 * Annotation templates: `{{market}}`, `{{exchange}}`, `{{value}}`, `{{details.window}}`,
 * `{{labels.team}}`.
 *
 * Why a ten-line renderer rather than a template engine: annotations are one sentence each,
 * and a placeholder the data does not have must render as nothing rather than throw inside
 * the evaluator at 3 a.m.
 */

export type TemplateVars = Record<string, string | Record<string, string> | undefined>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)(?:\.([a-zA-Z_][a-zA-Z0-9_]*))?\s*\}\}/g;

export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_all, head: string, tail?: string) => {
    const v = vars[head];
    if (tail === undefined) return typeof v === "string" ? v : "";
    return typeof v === "object" ? (v[tail] ?? "") : "";
  });
}
