/** The table printed after a deployment: one row per stack, columns aligned. */
import { CHANGE_KINDS } from "./engine";
import { StackRunResult } from "./run";

export const SUMMARY_COLUMNS = ["stack", "account", "operation", ...CHANGE_KINDS, "policy (mandatory/advisory)", "duration", "result"];

export function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function resultText(result: StackRunResult): string {
  if (result.status === "succeeded") return "succeeded";
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

export function formatSummary(results: StackRunResult[]): string {
  const rows = [SUMMARY_COLUMNS, ...summaryRows(results)];
  const widths = SUMMARY_COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [render(rows[0]), rule, ...rows.slice(1).map(render)].join("\n");
}
