/**
 * Prometheus text exposition (format 0.0.4) for the generated targets, and the time
 * functions that make counters advance and gauges move between scrapes.
 */

export type Labels = Record<string, string>;

export interface Sample {
  /** Appended to the family name: `_bucket`, `_sum`, `_count` for histograms. */
  suffix?: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  samples: Sample[];
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** Empty label values are left out, as Prometheus drops them on ingestion anyway. */
function labelText(labels: Labels): string {
  const parts = Object.entries(labels)
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `${name}="${escapeValue(value)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function valueText(value: number): string {
  if (value === Infinity) return "+Inf";
  if (Number.isNaN(value)) return "NaN";
  return Number.isInteger(value) ? String(value) : value.toPrecision(12);
}

export function renderExposition(families: Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${sample.suffix ?? ""}${labelText(sample.labels)} ${valueText(sample.value)}`);
  }
  return lines.join("\n") + "\n";
}

/** A stable number in [0, 1) from a string, so every series gets its own phase and rate. */
export function unitHash(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return (hash >>> 0) / 4294967296;
}

/** Seconds since the generator started: every value is a function of it. */
export type Clock = () => number;

export function startClock(): Clock {
  const started = Date.now();
  return () => (Date.now() - started) / 1000;
}

/** A counter that only goes up, at a per-series rate around `perSecond`. */
export function counter(key: string, seconds: number, perSecond: number, start = 0): number {
  const rate = perSecond * (0.5 + unitHash(key));
  return Math.floor(start + rate * seconds * 1000) / 1000;
}

/** A gauge that moves around `level` by up to `swing` (a fraction), with a 5-minute period. */
export function gauge(key: string, seconds: number, level: number, swing = 0.2): number {
  const phase = unitHash(key) * 2 * Math.PI;
  return Math.round(level * (1 + swing * Math.sin((2 * Math.PI * seconds) / 300 + phase)));
}

/**
 * A histogram's cumulative buckets, `_sum` and `_count` for `observations` so far, spread
 * log-logistically around `median` seconds (latencies have a long right tail).
 */
export function histogramSamples(labels: Labels, bounds: readonly number[], observations: number, median: number): Sample[] {
  const fraction = (le: number) => 1 / (1 + Math.pow(median / le, 2.5));
  const samples: Sample[] = bounds.map((le) => ({ suffix: "_bucket", labels: { ...labels, le: String(le) }, value: Math.floor(observations * fraction(le)) }));
  samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: observations });
  samples.push({ suffix: "_sum", labels, value: Math.round(observations * median * 1.3 * 1000) / 1000 });
  samples.push({ suffix: "_count", labels, value: observations });
  return samples;
}

/** `start * factor^i` for i < count, as client libraries' ExponentialBuckets. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Number((start * Math.pow(factor, i)).toPrecision(6)));
}
