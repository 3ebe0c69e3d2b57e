/**
 * How often each metric must be sampled for the expressions that read it: the shortest range
 * window any selector of it is read over (`rate(x[5m])`: 5m), and whether any selector reads it
 * at an instant (`x > 0`, `x[1h:1m]`'s inner selector, `x offset 1h`). A metric read only over
 * ranges of at least W seconds keeps at least four samples per window when scraped every W/4
 * seconds (Prometheus' and Grafana's rule of thumb for rate()), so its scrape job may be
 * slower than the collector's default without a rule or panel losing its answer.
 *
 * Grafana's `$__rate_interval` is `max($__interval + s, 4 * s)`, where s is the query's min step
 * when set, else the data source's scrape interval: the caller says what it is at least.
 */
import { durationSeconds } from "../alert-pipeline/alertmanager/settings";
import { children, namesOfSelector, parseExpression, SyntaxNode, text } from "./metric-names";

export interface MetricReads {
  metric: string;
  /** Some selector reads the metric at an instant (or its range could not be read). */
  instant: boolean;
  /** Shortest range window over which a selector reads it, in seconds. */
  shortestRangeSeconds?: number;
}

export interface ExpressionUnderRead {
  expr: string;
  /** What `$__rate_interval` is at least for this expression (dashboard queries), in seconds. */
  rateIntervalSeconds?: number;
}

const RATE_INTERVAL = /\$\{__rate_interval\}|\$__rate_interval\b|\[\[__rate_interval\]\]/g;
const READS_RATE_INTERVAL = new RegExp(RATE_INTERVAL.source);
/** Grafana's other duration variables can be as short as the step: read as a zero-length window, the strict side. */
const OTHER_DURATIONS = /\$\{__(interval|range|auto)\}|\$__(interval|range|auto)(?![\w])|\[\[__(interval|range|auto)\]\]/g;

function visit(expr: string, node: SyntaxNode, into: Map<string, MetricReads>): void {
  const note = (selector: SyntaxNode, rangeSeconds: number | undefined) => {
    for (const metric of namesOfSelector(expr, selector)) {
      const reads = into.get(metric) ?? { metric, instant: false };
      if (rangeSeconds === undefined) reads.instant = true;
      else reads.shortestRangeSeconds = Math.min(reads.shortestRangeSeconds ?? Infinity, rangeSeconds);
      into.set(metric, reads);
    }
  };
  if (node.name === "MatrixSelector") {
    // The grammar gives every matrix selector its vector selector and its range.
    const literal = text(expr, node.getChild("DurationExpr")!);
    // A computed range (`[5m+1m]`, a step multiple) is taken as unknown: an instant read, the strict side.
    const seconds = /^\d+(ms|[smhdwy])(\d+(ms|[smhdwy]))*$/.test(literal) ? durationSeconds(literal) : undefined;
    note(node.getChild("VectorSelector")!, seconds);
    return;
  }
  if (node.name === "VectorSelector") {
    note(node, undefined);
    return;
  }
  for (const child of children(node)) visit(expr, child, into);
}

/** Per metric, how the expressions read it over time (sorted by metric). */
export function readsOverTime(expressions: Iterable<ExpressionUnderRead>): MetricReads[] {
  const found = new Map<string, MetricReads>();
  for (const { expr, rateIntervalSeconds } of expressions) {
    if (rateIntervalSeconds === undefined && READS_RATE_INTERVAL.test(expr)) {
      throw new Error(`PromQL "${expr}" reads over $__rate_interval: say what it is at least (the query's min step, or the data source's scrape interval, times four)`);
    }
    const resolved = expr.replace(RATE_INTERVAL, `${rateIntervalSeconds}s`).replace(OTHER_DURATIONS, "0s");
    const { parseable, top } = parseExpression(resolved);
    visit(parseable, top, found);
  }
  return [...found.values()].sort((a, b) => a.metric.localeCompare(b.metric));
}

/**
 * The longest scrape interval (whole seconds) at which every read of `metrics` keeps four
 * samples per window; undefined when one of them is read at an instant (its freshness is the
 * scrape interval itself) or not read at all.
 */
export function longestScrapeIntervalSeconds(reads: readonly MetricReads[], metrics: readonly string[]): number | undefined {
  let longest = Infinity;
  for (const metric of metrics) {
    const read = reads.find((r) => r.metric === metric);
    if (!read || read.instant) return undefined;
    // A metric never read at an instant was read over a range.
    longest = Math.min(longest, Math.floor(read.shortestRangeSeconds! / 4));
  }
  return Number.isFinite(longest) ? longest : undefined;
}
