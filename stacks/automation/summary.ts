/** The table printed after a deployment: one row per stack, columns aligned, then the totals. */
import { CHANGE_KINDS } from "./engine";
import type { RunStatus, StackRunResult } from "./run";

export const SUMMARY_COLUMNS = ["stack", "account", "operation", ...CHANGE_KINDS, "policy (mandatory/advisory)", "duration", "result"];

export function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function resultText(result: StackRunResult): string {
  if (result.status === "succeeded") return result.note === undefined ? "succeeded" : `succeeded (${result.note})`;
  if (result.status === "up-to-date") return "skipped: up to date";
  // Only the first line: the full message was already streamed with the stack's output.
  const reason = (result.error ?? "unknown error").split("\n")[0];
  return `${result.status}: ${reason}`;
}

export function summaryRows(results: StackRunResult[]): string[][] {
  return results.map((r) => [
    r.stackName,
    r.account,
    r.operation,
    ...CHANGE_KINDS.map((kind) => String(r.changes[kind])),
    `${r.policyViolations.mandatory}/${r.policyViolations.advisory}`,
    r.status === "skipped" ? "-" : formatDuration(r.durationMs),
    resultText(r),
  ]);
}

const STATUS_WORDS: [RunStatus, string][] = [
  ["succeeded", "succeeded"],
  ["up-to-date", "skipped: up to date"],
  ["failed", "failed"],
  ["skipped", "skipped: hub failed"],
];

/** How many stacks ended in each way, e.g. `2 succeeded, 298 skipped: up to date`. */
export function statusCounts(results: StackRunResult[]): string {
  return STATUS_WORDS
    .map(([status, words]) => [results.filter((r) => r.status === status).length, words] as const)
    .filter(([count]) => count > 0)
    .map(([count, words]) => `${count} ${words}`)
    .join(", ");
}

/** The totals row: changes and violations summed, the run's wall-clock time, the outcome counts. */
export function totalsRow(results: StackRunResult[], wallMs?: number): string[] {
  const operations = [...new Set(results.map((r) => r.operation))];
  return [
    "total",
    `${results.length} stack${results.length === 1 ? "" : "s"}`,
    operations.join("/"),
    ...CHANGE_KINDS.map((kind) => String(results.reduce((sum, r) => sum + r.changes[kind], 0))),
    `${results.reduce((sum, r) => sum + r.policyViolations.mandatory, 0)}/${results.reduce((sum, r) => sum + r.policyViolations.advisory, 0)}`,
    wallMs === undefined ? "-" : formatDuration(wallMs),
    statusCounts(results),
  ];
}

/** With `wallMs` (the run's wall-clock time), the duration of the totals row. */
export function formatSummary(results: StackRunResult[], wallMs?: number): string {
  const rows = [SUMMARY_COLUMNS, ...summaryRows(results), totalsRow(results, wallMs)];
  const widths = SUMMARY_COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [render(rows[0]), rule, ...rows.slice(1, -1).map(render), rule, render(rows[rows.length - 1])].join("\n");
}
