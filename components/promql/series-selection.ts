/**
 * Which series of each metric any expression can select, read from the label matchers of
 * every selector (official grammar). A series that no selector of its metric can match is
 * never read by any rule or panel, so the collector may drop it without changing a result.
 *
 * Two shapes are derived, per metric and label:
 * - keep: every selector constrains the label positively (`=` or `=~`); the series whose
 *   value matches none of those patterns are unread (e.g. kube_pod_status_phase's
 *   `Succeeded` when the queries only ask for Pending, Running, Failed and Unknown);
 * - drop: every selector carries the same negative matcher (`!=` or `!~`); the series it
 *   excludes are unread (e.g. cAdvisor's `container=""` pod and system cgroups).
 * Matchers whose value holds a Grafana variable (`cluster="$cluster"`) select anything.
 * Bucket boundaries are labels like any other: `le` is cut only when every selector of a
 * `_bucket` metric names its boundaries; histogram_quantile reads all of them.
 */
import { children, matcherParts, namesOfSelector, parseExpression, SyntaxNode } from "./metric-names";

export interface LabelMatcher {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export interface MetricSelector {
  metric: string;
  /** Matchers on labels other than __name__, without those that hold a template variable. */
  matchers: LabelMatcher[];
}

export interface SeriesSelection {
  metric: string;
  label: string;
  /** Regex alternatives that together are the only values read (sorted, distinct). */
  keep?: string[];
  /** Regex of the values no selector reads. */
  drop?: string;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function selectorMatchers(expr: string, selector: SyntaxNode): LabelMatcher[] {
  const list = selector.getChild("LabelMatchers");
  const out: LabelMatcher[] = [];
  for (const item of list ? children(list) : []) {
    if (item.name !== "UnquotedLabelMatcher" && item.name !== "QuotedLabelMatcher") continue;
    const { label, op, value } = matcherParts(expr, item);
    if (label === "__name__" || value.includes("$")) continue;
    out.push({ label, op: op as LabelMatcher["op"], value });
  }
  return out;
}

function collectSelectors(expr: string, node: SyntaxNode, into: MetricSelector[]): void {
  if (node.name === "VectorSelector") {
    const matchers = selectorMatchers(expr, node);
    for (const metric of namesOfSelector(expr, node)) into.push({ metric, matchers });
    return;
  }
  for (const child of children(node)) collectSelectors(expr, child, into);
}

/** Every selector of an expression, one entry per metric it names. */
export function selectorsIn(expr: string): MetricSelector[] {
  const { parseable, top } = parseExpression(expr);
  const out: MetricSelector[] = [];
  collectSelectors(parseable, top, out);
  return out;
}

/** A positive matcher as regex alternatives: `=` is one literal, `=~ "a|b"` its top-level alternatives. */
function alternatives(matcher: LabelMatcher): string[] {
  if (matcher.op === "=") return [escapeRegex(matcher.value)];
  return /[()]/.test(matcher.value) ? [matcher.value] : matcher.value.split("|");
}

function negativeRegex(matcher: LabelMatcher): string {
  return matcher.op === "!=" ? escapeRegex(matcher.value) : matcher.value;
}

/** Per metric and label, the series no selector in `exprs` can read. */
export function unreadSeries(exprs: Iterable<string>): SeriesSelection[] {
  const byMetric = new Map<string, LabelMatcher[][]>();
  for (const expr of exprs) {
    for (const selector of selectorsIn(expr)) {
      const list = byMetric.get(selector.metric) ?? [];
      list.push(selector.matchers);
      byMetric.set(selector.metric, list);
    }
  }
  const out: SeriesSelection[] = [];
  for (const [metric, selectors] of [...byMetric].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = new Set(selectors.flatMap((matchers) => matchers.map((m) => m.label)));
    for (const label of [...labels].sort()) {
      const positive = selectors.map((matchers) => matchers.filter((m) => m.label === label && (m.op === "=" || m.op === "=~")));
      if (positive.every((list) => list.length > 0)) {
        // A selector with several positive matchers on one label reads their intersection; its
        // first matcher's values are a superset of that, so keeping them is safe.
        out.push({ metric, label, keep: [...new Set(positive.flatMap((list) => alternatives(list[0])))].sort() });
        continue;
      }
      const negatives = selectors.map((matchers) => new Set(matchers.filter((m) => m.label === label && (m.op === "!=" || m.op === "!~")).map(negativeRegex)));
      const common = [...negatives[0]].filter((regex) => negatives.every((set) => set.has(regex)));
      for (const regex of common.sort()) out.push({ metric, label, drop: regex });
    }
  }
  return out;
}
