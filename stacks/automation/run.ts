/**
 * Runs one environment: the hub stack first, then its workload stacks concurrently up to
 * a bound. Workloads read the hub's outputs and are trusted by its roles, so they never
 * run after a failed hub; one failing workload does not stop the others.
 */
import { mapBounded } from "./bounded";
import { OperationResult, PolicyPackRun, StackEngine, noChanges, noViolations } from "./engine";
import { createLinePrefixer } from "./line-prefixer";
import { DeployTarget, DeploymentPlan } from "./targets";

export type Operation = "preview" | "update";

export interface RunOptions {
  preview: boolean;
  /** Most workload stacks in flight at once. */
  parallel: number;
  /** The policy packs, each with its config, enforced on every preview and update. */
  policyPacks: PolicyPackRun[];
  /** Receives each progress line, already prefixed with its stack. */
  writeLine: (line: string) => void;
  /** Clock in milliseconds; injectable so durations are deterministic under test. */
  now?: () => number;
}

export interface StackRunResult extends Omit<OperationResult, "ok"> {
  stackName: string;
  account: string;
  operation: Operation;
  status: "succeeded" | "failed" | "skipped";
  durationMs: number;
}

export interface DeploymentReport {
  results: StackRunResult[];
  ok: boolean;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runTarget(target: DeployTarget, engine: StackEngine, operation: Operation, options: RunOptions): Promise<StackRunResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const output = createLinePrefixer(`[${target.stackName}] `, options.writeLine);
  options.writeLine(`[${target.stackName}] ${operation} started`);
  let result: OperationResult;
  try {
    const stack = await engine.selectOrCreate(target.stackName, target.config);
    const operationOptions = { policyPacks: options.policyPacks, onOutput: (text: string) => output.push(text) };
    result = operation === "preview" ? await stack.preview(operationOptions) : await stack.up(operationOptions);
  } catch (error) {
    result = { ok: false, changes: noChanges(), policyViolations: noViolations(), error: messageOf(error) };
  }
  output.flush();
  const durationMs = now() - started;
  const status = result.ok ? "succeeded" : "failed";
  options.writeLine(`[${target.stackName}] ${operation} ${status}${result.ok ? "" : `: ${result.error ?? "unknown error"}`}`);
  return {
    stackName: target.stackName,
    account: target.account,
    operation,
    status,
    durationMs,
    changes: result.changes,
    policyViolations: result.policyViolations,
    ...(result.ok ? {} : { error: result.error ?? "unknown error" }),
  };
}

function skipped(target: DeployTarget, operation: Operation, reason: string): StackRunResult {
  return {
    stackName: target.stackName,
    account: target.account,
    operation,
    status: "skipped",
    durationMs: 0,
    changes: noChanges(),
    policyViolations: noViolations(),
    error: reason,
  };
}

export async function runDeployment(plan: DeploymentPlan, engine: StackEngine, options: RunOptions): Promise<DeploymentReport> {
  const operation: Operation = options.preview ? "preview" : "update";
  const hub = await runTarget(plan.hub, engine, operation, options);
  const workloads = hub.status === "succeeded"
    ? await mapBounded(plan.workloads, options.parallel, (target) => runTarget(target, engine, operation, options))
    : plan.workloads.map((target) => {
      options.writeLine(`[${target.stackName}] ${operation} skipped: hub failed`);
      return skipped(target, operation, "hub failed");
    });
  const results = [hub, ...workloads];
  return { results, ok: results.every((r) => r.status === "succeeded") };
}
