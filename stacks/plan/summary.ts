/** The plan's console report: one block per stack with its account, resources by type and artifacts. */
import { EnvironmentPlan } from "./plan";

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [line(rows[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.slice(1).map(line)].join("\n");
}

export function formatPlanSummary(plan: EnvironmentPlan, outDir: string): string {
  const blocks: string[] = [`Offline plan of environment "${plan.environment}" (mock runtime: no cloud calls were made)`];
  for (const s of plan.stacks) {
    const byType = new Map<string, number>();
    for (const r of s.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    const rows = [["resource type", "count"], ...[...byType.entries()].sort().map(([t, n]) => [t, String(n)])];
    blocks.push(
      `\n## ${s.stack} (${s.kind}, account ${s.accountId}): ${s.resources.length} resources, ${s.artifacts.length} rendered artifacts\n` +
      table(rows) + `\nwritten to ${outDir}/${s.stack}/`,
    );
  }
  const overview = [["stack", "kind", "account", "resources", "artifacts"],
    ...plan.stacks.map((s) => [s.stack, s.kind, s.accountId, String(s.resources.length), String(s.artifacts.length)])];
  blocks.push("\n## Overview\n" + table(overview));
  return blocks.join("\n");
}
