/** Text report of a plan evaluation: per stack, per resource, then a one-line total. */
import { PlanEvaluation, PolicyViolation } from "./evaluate";
import { referenceLabel } from "./analysis/reference";

export function formatPlanEvaluation(result: PlanEvaluation): string {
  const lines: string[] = [`judged against the ${referenceLabel()}`];
  for (const stack of result.stacks) {
    lines.push(
      `stack ${stack.stack} (environment ${stack.environment}, account ${stack.accountId}): ${stack.resourceCount} resources, ` +
        `${stack.mandatory} mandatory, ${stack.advisory} advisory`,
    );
    const byResource = new Map<string, PolicyViolation[]>();
    for (const violation of stack.violations) byResource.set(violation.urn, [...(byResource.get(violation.urn) ?? []), violation]);
    for (const [, violations] of byResource) {
      const first = violations[0];
      lines.push(`  ${first.resourceType} ${first.resourceName}`);
      for (const v of violations) lines.push(`    [${v.enforcementLevel}] ${v.policy}: ${v.message}`);
    }
  }
  lines.push(
    `${result.stacks.length} stacks, ${result.resourceCount} resources: ${result.mandatory} mandatory and ${result.advisory} advisory violations ` +
      `(evaluated in ${result.durationMs.toFixed(1)} ms)`,
  );
  return lines.join("\n");
}
