/**
 * One deployment of an environment, from arguments to exit code: validate the organisation
 * model and the policy pack's config (before any engine call), prepare what the stacks
 * share once (engine.prepare), run hub then workloads with the policy pack and its config,
 * skipping stacks that are up to date on updates (unless --force), print the summary. The
 * engine is a parameter; the CLI passes the Automation API one.
 */
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { tokenRotation } from "../../components/observability-hub/token-rotation";
import { WORKLOADS_OUTPUT } from "../contract";
import { DeployArgs } from "./args";
import { PolicyPackRun, StackEngine, messageOf } from "./engine";
import { sourcesDigest } from "./fingerprint";
import { DeploymentReport, ResumeOptions, runDeployment } from "./run";
import { formatSummary } from "./summary";
import { DeployTarget, DeploymentPlan, planDeployment } from "./targets";

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
 * program and policy packs (`sources`, the same for every stack of a run); for the hub,
 * the Grafana token's rotation window; for a workload, its own record in the hub's
 * `workloads` output, which is all the workload program reads from the hub.
 */
export function resumeInputs(plan: DeploymentPlan, sources: string, now: Date, force: boolean): ResumeOptions {
  const tokenWindow = tokenRotation(now, plan.grafanaTokenTtlDays).tokenName;
  return {
    force,
    inputs(target: DeployTarget, hubOutputs: Record<string, unknown> | undefined): unknown {
      if (target.kind === "hub") return { sources, grafanaTokenWindow: tokenWindow };
      if (hubOutputs === undefined) return undefined;
      const records = hubOutputs[WORKLOADS_OUTPUT] as Record<string, unknown> | undefined;
      return { sources, hubRecord: records?.[target.account] ?? null };
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
    const report = await runDeployment(plan, engine, {
      preview: args.preview,
      parallel: args.parallel,
      policyPacks: [policyPack],
      writeLine: io.out,
      now,
      ...(sources === undefined ? {} : { resume: resumeInputs(plan, sources, new Date(now()), args.force === true) }),
    });
    io.out("");
    io.out(formatSummary(report.results, report.durationMs));
    return { exitCode: report.ok ? 0 : 1, report };
  } finally {
    await engine.dispose?.();
  }
}
