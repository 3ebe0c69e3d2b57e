/**
 * One deployment of an environment, from arguments to exit code: validate the organisation
 * model and the policy pack's config (before any engine call), prepare what the stacks
 * share once (engine.prepare), run the stages (shared hub, accounts' hub stacks, query,
 * workloads) with the policy pack and its config, skipping stacks that are up to date on
 * updates (unless --force), print the summary. With --remove, the shared stacks are
 * updated and the removed account's stacks destroyed (remove.ts). The engine is a
 * parameter; the CLI passes the Automation API one.
 */
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { tokenRotation } from "../../components/observability-hub/token-rotation";
import { HUB_SETTINGS_OUTPUT, HubSettings, WORKLOADS_OUTPUT } from "../contract";
import { DeployArgs } from "./args";
import { PolicyPackRun, StackEngine, messageOf } from "./engine";
import { sourcesDigest } from "./fingerprint";
import { ACCOUNT_WORKSPACES, DeploymentReport, ResumeOptions, runDeployment } from "./run";
import { formatSummary } from "./summary";
import { destroyAccountStacks, removalTargets } from "./remove";
import { DeployTarget, DeploymentPlan, planDeployment, projectName } from "./targets";

export interface DeployIo {
  /** Progress lines and the summary. */
  out: (line: string) => void;
  /** Errors that stop the run before any stack is touched. */
  err: (line: string) => void;
  now?: () => number;
}

export function policyPackDir(projectDir: string): string {
  return resolve(projectDir, "policies");
}

/** The pack's reviewed config, passed as `--policy-pack-config` with the pack. */
export function policyPackConfigFile(projectDir: string): string {
  return join(policyPackDir(projectDir), "policy-config.json");
}

/**
 * The project's policy pack with its config, checked as far as the driver can: the file
 * exists and holds a JSON object. Without it every preview would run the pack without its
 * reviewed exceptions, so a missing or broken file stops the run before any stack.
 */
export function projectPolicyPack(projectDir: string): PolicyPackRun {
  const configFile = policyPackConfigFile(projectDir);
  let text: string;
  try {
    text = readFileSync(configFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`policy pack config ${configFile} is missing: every preview and update passes it to the pack with --policy-pack-config`);
    }
    throw new Error(`policy pack config ${configFile} cannot be read: ${messageOf(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`policy pack config ${configFile} is not valid JSON: ${messageOf(error)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`policy pack config ${configFile} must hold a JSON object (policy name -> config)`);
  }
  return { dir: policyPackDir(projectDir), configFile };
}

/**
 * What each stack is deployed from besides its own config (see fingerprint.ts): the
 * program and policy packs (`sources`, the same for every stack of a run), and what it
 * reads from the stack before it:
 * - the shared hub: the Grafana token's rotation window (its program replaces the token);
 * - an account's hub stack: the shared settings but the account list (its own entry is in
 *   its config), and the token window (its Grafana provider holds the token);
 * - the query stack: all shared settings (the account list), the token window, and each account
 *   hub stack's workspace (it finds them through AMP's API, not a StackReference);
 * - a workload stack: its own record in its account hub stack's `workloads` output.
 */
export function resumeInputs(plan: DeploymentPlan, sources: string, now: Date, force: boolean): ResumeOptions {
  const tokenWindow = tokenRotation(now, plan.grafanaTokenTtlDays).tokenName;
  return {
    force,
    inputs(target: DeployTarget, upstreamOutputs: Record<string, unknown> | undefined): unknown {
      if (target.kind === "hub") return { sources, grafanaTokenWindow: tokenWindow };
      if (upstreamOutputs === undefined) return undefined;
      if (target.kind === "workload") {
        const records = upstreamOutputs[WORKLOADS_OUTPUT] as Record<string, unknown> | undefined;
        return { sources, hubRecord: records?.[target.account] ?? null };
      }
      const settings = upstreamOutputs[HUB_SETTINGS_OUTPUT] as HubSettings | undefined;
      if (settings === undefined) return undefined;
      // An account's hub stack reads no account list (its entry is in its own config): adding an account does not re-run it.
      const shared = target.kind === "hub-account" ? { ...settings, accountNames: undefined } : settings;
      const workspaces = target.kind === "hub-query" ? { accountWorkspaces: upstreamOutputs[ACCOUNT_WORKSPACES] ?? null } : {};
      return { sources, grafanaTokenWindow: tokenWindow, hubSettings: shared, ...workspaces };
    },
  };
}

export interface DeployOutcome {
  exitCode: number;
  /** Absent when the run stopped before touching any stack. */
  report?: DeploymentReport;
}

export async function deploy(projectDir: string, args: DeployArgs, engine: StackEngine, io: DeployIo): Promise<DeployOutcome> {
  const now = io.now ?? Date.now;
  let plan;
  let policyPack;
  let sources;
  try {
    plan = planDeployment(projectDir, { environment: args.environment, org: args.org, only: args.only });
    if (args.remove !== undefined && [...plan.workloads].some((w) => w.account === args.remove)) {
      throw new Error(`--remove ${args.remove}: the account is still in the workloads of Pulumi.${args.environment}.yaml. ` +
        "Delete its entry first, so the shared hub and the query stack stop listing it, then run the removal again");
    }
    policyPack = projectPolicyPack(projectDir);
    sources = args.preview ? undefined : sourcesDigest(projectDir, [policyPack]);
  } catch (error) {
    io.err(messageOf(error));
    return { exitCode: 1 };
  }
  try {
    try {
      await engine.prepare?.({ policyPacks: [policyPack] });
    } catch (error) {
      io.err(messageOf(error));
      return { exitCode: 1 };
    }
    const started = now();
    // Removing an account: only the shared stacks are updated, then the account's stacks go.
    const stages = args.remove === undefined ? plan : { ...plan, hubAccounts: [], workloads: [] };
    const report = await runDeployment(stages, engine, {
      preview: args.preview,
      parallel: args.parallel,
      policyPacks: [policyPack],
      writeLine: io.out,
      now,
      ...(sources === undefined ? {} : { resume: resumeInputs(plan, sources, new Date(now()), args.force === true) }),
    });
    if (args.remove !== undefined && report.ok) {
      const removed = await destroyAccountStacks(removalTargets(args.environment, args.remove, projectName(projectDir), args.org), engine, io.out, now);
      report.results.push(...removed);
      report.ok = removed.every((r) => r.status === "succeeded");
      report.durationMs = now() - started;
    }
    io.out("");
    io.out(formatSummary(report.results, report.durationMs));
    return { exitCode: report.ok ? 0 : 1, report };
  } finally {
    await engine.dispose?.();
  }
}
