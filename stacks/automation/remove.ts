/**
 * Taking an account out of an environment. Its entry leaves the organisation model first;
 * the driver then updates the shared hub and the query stack (they stop listing it), and
 * only then destroys the account's workload stack and its hub stack, in that order (the
 * reverse of creation), removing each from the backend once it is empty. A destroy that
 * fails stops the removal there, so nothing is left half-deleted without being said.
 */
import { messageOf, noChanges, noViolations, StackEngine } from "./engine";
import { createLinePrefixer } from "./line-prefixer";
import { StackRunResult } from "./run";
import { formatDuration } from "./summary";
import { backendStackName } from "./targets";
import { hubAccountStackName } from "../contract";

export interface RemovalTarget {
  stackName: string;
  account: string;
}

/** The account's stacks in the order they are destroyed. */
export function removalTargets(environment: string, account: string, project: string, org?: string): RemovalTarget[] {
  return [`${environment}-${account}`, hubAccountStackName(environment, account)]
    .map((stack) => ({ stackName: backendStackName(stack, project, org), account }));
}

export async function destroyAccountStacks(
  targets: RemovalTarget[],
  engine: StackEngine,
  writeLine: (line: string) => void,
  now: () => number,
): Promise<StackRunResult[]> {
  const results: StackRunResult[] = [];
  for (const [index, target] of targets.entries()) {
    const started = now();
    const label = `[remove ${index + 1}/${targets.length}] ${target.stackName} destroy`;
    const result = (status: StackRunResult["status"], extra: Partial<StackRunResult> = {}): StackRunResult => ({
      stackName: target.stackName, account: target.account, operation: "destroy", status, durationMs: now() - started,
      changes: noChanges(), policyViolations: noViolations(), ...extra,
    });
    writeLine(`${label} ...`);
    try {
      const stack = await engine.selectExisting(target.stackName);
      if (stack === undefined) {
        writeLine(`${label} ... nothing to do: no such stack`);
        results.push(result("succeeded", { note: "no such stack" }));
        continue;
      }
      const output = createLinePrefixer(`[${target.stackName}] `, writeLine);
      const destroyed = await stack.destroy({ onOutput: (text) => output.push(text) });
      output.flush();
      if (!destroyed.ok) throw new Error(destroyed.error ?? "destroy failed");
      await engine.removeStack(target.stackName);
      writeLine(`${label} ... done in ${formatDuration(now() - started)}: ${destroyed.changes.delete} resources deleted, stack removed`);
      results.push(result("succeeded", { changes: destroyed.changes }));
    } catch (error) {
      const message = messageOf(error);
      writeLine(`${label} ... failed: ${message.split("\n")[0]}`);
      results.push(result("failed", { error: message }));
      // The account's hub stack outlives a workload stack that could not be destroyed: its roles trust it.
      for (const rest of targets.slice(index + 1)) {
        results.push({ stackName: rest.stackName, account: rest.account, operation: "destroy", status: "skipped", durationMs: 0,
          changes: noChanges(), policyViolations: noViolations(), error: `${target.stackName} was not destroyed` });
      }
      break;
    }
  }
  return results;
}
