/**
 * Grafana template variables inside PromQL. Panels use `$__rate_interval`, `$cluster`,
 * `${account:regex}` and the like; the official grammar does not know them, so they are
 * replaced by parseable placeholders before parsing.
 *
 * Inside string literals (label values, regexes) a variable never changes which metric is
 * selected and is left alone. Outside strings only Grafana's built-in durations and numbers
 * are accepted: a user variable there could stand for a metric name, which no parser can
 * know, so it is refused with an error that names it.
 */

/** Built-ins that stand for a duration (`rate(x[$__rate_interval])`). */
const DURATION_VARIABLES = new Set(["__rate_interval", "__interval", "__range", "__auto"]);

/** Built-ins that stand for a number of seconds or milliseconds. */
const NUMBER_VARIABLES = new Set(["__interval_ms", "__range_s", "__range_ms", "__rate_interval_ms"]);

export const DURATION_PLACEHOLDER = "5m";
export const NUMBER_PLACEHOLDER = "300";

/** `$name`, `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`. */
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/y;

function placeholderFor(variable: string, expr: string): string {
  if (DURATION_VARIABLES.has(variable)) return DURATION_PLACEHOLDER;
  if (NUMBER_VARIABLES.has(variable)) return NUMBER_PLACEHOLDER;
  throw new Error(
    `PromQL "${expr}": template variable $${variable} is used outside a string literal, so the metric it selects cannot be known; ` +
      "use it only inside label matchers (e.g. {cluster=\"$cluster\"})",
  );
}

/** Length of the string literal that starts at `start` (quote included), honouring escapes. */
function stringLiteralLength(expr: string, start: number): number {
  const quote = expr[start];
  let i = start + 1;
  while (i < expr.length) {
    if (expr[i] === "\\" && quote !== "`") {
      i += 2;
      continue;
    }
    if (expr[i] === quote) return i - start + 1;
    i++;
  }
  throw new Error(`PromQL "${expr}": string literal opened at offset ${start} is never closed`);
}

/** The expression with every template variable outside strings replaced by a placeholder. */
export function substituteTemplateVariables(expr: string): string {
  let out = "";
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === '"' || ch === "'" || ch === "`") {
      const length = stringLiteralLength(expr, i);
      out += expr.slice(i, i + length);
      i += length;
      continue;
    }
    if (ch === "#") {
      // A comment runs to the end of the line; nothing in it is parsed.
      const end = expr.indexOf("\n", i);
      const stop = end === -1 ? expr.length : end;
      out += expr.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "$" || (ch === "[" && expr[i + 1] === "[")) {
      VARIABLE.lastIndex = i;
      const match = VARIABLE.exec(expr);
      if (match) {
        out += placeholderFor(match[1] ?? match[2] ?? match[3], expr);
        i += match[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
