/**
 * Runs one environment in four stages: the shared hub stack; the accounts' hub stacks,
 * concurrently up to a bound; the query stack; the workload stacks, concurrently up to the
 * bound. A stack runs only after the stack whose outputs it reads has succeeded (the
 * accounts' hub stacks and the query stack read the shared hub, a workload stack its
 * account's hub stack); one failing account does not stop the others.
 *
 * Update runs are resumable (see fingerprint.ts): a stack whose recorded fingerprint
 * matches its inputs is skipped as up to date, and every successful update records what it
 * deployed. Previews never skip and record nothing.
 */
import { mapBounded } from "./bounded";
import { OperationResult, PolicyPackRun, StackEngine, StackHandle, messageOf, noChanges, noViolations } from "./engine";
import { FINGERPRINT_TAG, encodeRecord, isUpToDate, stackFingerprint } from "./fingerprint";
import { createLinePrefixer } from "./line-prefixer";
import { formatDuration } from "./summary";
import { DeployTarget, DeploymentPlan } from "./targets";

export type Operation = "preview" | "update" | "destroy";

/** `up-to-date`: an update run skipped the stack because nothing it is deployed from changed. */
export type RunStatus = "succeeded" | "failed" | "skipped" | "up-to-date";

export interface ResumeOptions {
  /** Run every stack even when it is up to date (what it deployed is still recorded). */
  force: boolean;
  /**
   * What the stack is deployed from apart from its own config (the program and policy
   * packs' digest, what it reads from the stack before it). `upstreamOutputs` are the
   * outputs of the stack it reads (none for the shared hub), undefined when they could not
   * be read. Returning undefined means the inputs are unknown: the stack then runs and
   * nothing is recorded.
   */
  inputs(target: DeployTarget, upstreamOutputs: Record<string, unknown> | undefined): unknown;
}

export interface RunOptions {
  preview: boolean;
  /** Most per-account stacks (hub-side or workload) in flight at once. */
  parallel: number;
  /** The policy packs, each with its config, enforced on every preview and update. */
  policyPacks: PolicyPackRun[];
  /** Receives each progress line; engine output comes prefixed with its stack. */
  writeLine: (line: string) => void;
  /** Clock in milliseconds; injectable so durations are deterministic under test. */
  now?: () => number;
  /** Update runs: skip stacks that are up to date, record what each update deployed. Ignored by previews. */
  resume?: ResumeOptions;
}

export interface StackRunResult extends Omit<OperationResult, "ok" | "update" | "outputs"> {
  stackName: string;
  account: string;
  operation: Operation;
  status: RunStatus;
  durationMs: number;
  /** Worth knowing, without changing the result (e.g. its fingerprint could not be recorded). */
  note?: string;
}

export interface DeploymentReport {
  results: StackRunResult[];
  ok: boolean;
  /** Wall-clock time of the whole run. */
  durationMs: number;
}

/** A run succeeded when every stack was updated (or previewed) or was already up to date. */
export function isSuccess(status: RunStatus): boolean {
  return status === "succeeded" || status === "up-to-date";
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

interface RunContext {
  engine: StackEngine;
  operation: Operation;
  options: RunOptions;
  now: () => number;
  total: number;
}

interface TargetRun {
  result: StackRunResult;
  /** The stack's outputs, when known (what the fingerprints of the stacks reading it include). */
  outputs?: Record<string, unknown>;
}

/** The stack's fingerprint, or undefined when it cannot be known (the stack then runs, unrecorded). */
async function fingerprintOf(stack: StackHandle, target: DeployTarget, resume: ResumeOptions, upstreamOutputs: Record<string, unknown> | undefined, say: (line: string) => void): Promise<string | undefined> {
  const inputs = resume.inputs(target, upstreamOutputs);
  if (inputs === undefined) return undefined;
  try {
    return stackFingerprint({ stack: target.stackName, config: await stack.config(), inputs });
  } catch (error) {
    say(`cannot read the stack's config to check whether it is up to date (${firstLine(messageOf(error))}): running it`);
    return undefined;
  }
}

async function upToDate(stack: StackHandle, fingerprint: string, say: (line: string) => void): Promise<boolean> {
  try {
    // Both read-only: one round trip instead of two.
    const [tag, lastUpdate] = await Promise.all([stack.getTag(FINGERPRINT_TAG), stack.lastUpdate()]);
    return isUpToDate(fingerprint, tag, lastUpdate);
  } catch (error) {
    say(`cannot read what was last deployed (${firstLine(messageOf(error))}): running it`);
    return false;
  }
}

async function runTarget(
  target: DeployTarget,
  position: number,
  lane: number,
  context: RunContext,
  upstreamOutputs?: Record<string, unknown>,
): Promise<TargetRun> {
  const { engine, operation, options, now } = context;
  const started = now();
  const label = `[${position}/${context.total}] ${target.stackName} ${operation === "preview" ? "preview" : "up"}`;
  const say = (line: string) => options.writeLine(`[${target.stackName}] ${line}`);
  const output = createLinePrefixer(`[${target.stackName}] `, options.writeLine);
  options.writeLine(`${label} ...`);
  const base = { stackName: target.stackName, account: target.account, operation };
  let result: OperationResult;
  let note: string | undefined;
  let outputs: Record<string, unknown> | undefined;
  try {
    const stack = await engine.selectOrCreate(target.stackName, target.config, lane);
    const resume = operation === "update" ? options.resume : undefined;
    const fingerprint = resume ? await fingerprintOf(stack, target, resume, upstreamOutputs, say) : undefined;
    if (fingerprint !== undefined && !resume!.force && await upToDate(stack, fingerprint, say)) {
      if (target.kind !== "workload" && target.kind !== "hub-query") {
        try {
          outputs = await stack.outputs();
        } catch (error) {
          say(`cannot read the stack's outputs (${firstLine(messageOf(error))}): every stack reading them runs`);
        }
      }
      const durationMs = now() - started;
      options.writeLine(`${label} ... skipped: up to date (checked in ${formatDuration(durationMs)})`);
      return {
        result: { ...base, status: "up-to-date", durationMs, changes: noChanges(), policyViolations: noViolations() },
        outputs,
      };
    }
    const operationOptions = { policyPacks: options.policyPacks, onOutput: (text: string) => output.push(text) };
    result = operation === "preview" ? await stack.preview(operationOptions) : await stack.up(operationOptions);
    outputs = result.outputs;
    if (result.ok && fingerprint !== undefined) {
      if (result.update === undefined) {
        note = "fingerprint not recorded: the update is missing from the stack's history";
      } else {
        try {
          await stack.setTag(FINGERPRINT_TAG, encodeRecord({ fingerprint, update: result.update }));
        } catch (error) {
          note = `fingerprint not recorded (${firstLine(messageOf(error))}): the next run updates it again`;
        }
      }
    }
  } catch (error) {
    result = { ok: false, changes: noChanges(), policyViolations: noViolations(), error: messageOf(error) };
  }
  output.flush();
  const durationMs = now() - started;
  const error = result.ok ? undefined : result.error ?? "unknown error";
  options.writeLine(error === undefined
    ? `${label} ... done in ${formatDuration(durationMs)}${note === undefined ? "" : ` (${note})`}`
    : `${label} ... failed in ${formatDuration(durationMs)}: ${firstLine(error)}`);
  return {
    result: {
      ...base,
      status: result.ok ? "succeeded" : "failed",
      durationMs,
      changes: result.changes,
      policyViolations: result.policyViolations,
      ...(error === undefined ? {} : { error }),
      ...(note === undefined ? {} : { note }),
    },
    outputs,
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

function skippedAll(targets: DeployTarget[], first: number, context: RunContext, reason: string): StackRunResult[] {
  return targets.map((target, index) => {
    context.options.writeLine(`[${first + index}/${context.total}] ${target.stackName} ${context.operation === "preview" ? "preview" : "up"} skipped: ${reason}`);
    return skipped(target, context.operation, reason);
  });
}

/** Upstream key of the query stack: each account hub stack's workspace id, as the run left it. */
export const ACCOUNT_WORKSPACES = "accountWorkspaces";

export async function runDeployment(plan: DeploymentPlan, engine: StackEngine, options: RunOptions): Promise<DeploymentReport> {
  const now = options.now ?? Date.now;
  const operation: Operation = options.preview ? "preview" : "update";
  const accounts = plan.hubAccounts.length;
  const context: RunContext = { engine, operation, options, now, total: 2 + accounts + plan.workloads.length };
  const started = now();
  const succeeded = (run: TargetRun) => isSuccess(run.result.status);

  // Stages run one after the other; within a stage, worker k of the pool runs in lane k.
  const hub = await runTarget(plan.hub, 1, 0, context);
  if (!succeeded(hub)) {
    const results = [hub.result, ...skippedAll([...plan.hubAccounts, plan.query, ...plan.workloads], 2, context, "shared hub failed")];
    return { results, ok: false, durationMs: now() - started };
  }
  const accountHubs = await mapBounded(plan.hubAccounts, options.parallel, (target, index, worker) =>
    runTarget(target, index + 2, worker, context, hub.outputs));
  // Promxy queries the workspaces that exist, so the query stack runs even when an account failed.
  // It reads them through AMP's API: its upstream includes each account's workspace as this run
  // left it (null when its stack failed), so a later success or a replaced workspace re-runs it.
  const workspaces = Object.fromEntries(plan.hubAccounts.map((target, index) =>
    [target.account, succeeded(accountHubs[index]) ? accountHubs[index].outputs?.workspaceId ?? null : null]));
  const query = await runTarget(plan.query, accounts + 2, 0, context, { ...hub.outputs, [ACCOUNT_WORKSPACES]: workspaces });
  const accountHubOf = new Map(plan.hubAccounts.map((target, index) => [target.account, accountHubs[index]]));
  const workloads = await mapBounded(plan.workloads, options.parallel, async (target, index, worker) => {
    const position = accounts + 3 + index;
    const accountHub = accountHubOf.get(target.account);
    if (accountHub && !succeeded(accountHub)) return skippedAll([target], position, context, "its hub stack failed")[0];
    return (await runTarget(target, position, worker, context, accountHub?.outputs)).result;
  });
  const results = [hub.result, ...accountHubs.map((run) => run.result), query.result, ...workloads];
  return { results, ok: results.every((r) => isSuccess(r.status)), durationMs: now() - started };
}
