/**
 * One deployment of an environment, from arguments to exit code: validate the organisation
 * model and the policy pack's config (before any engine call), run hub then workloads with
 * the policy pack and its config, print the summary. The engine is a parameter; the CLI
 * passes the Automation API one.
 */
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { DeployArgs } from "./args";
import { PolicyPackRun, StackEngine } from "./engine";
import { DeploymentReport, runDeployment } from "./run";
import { formatSummary } from "./summary";
import { planDeployment } from "./targets";

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

export interface DeployOutcome {
  exitCode: number;
  /** Absent when the run stopped before touching any stack. */
  report?: DeploymentReport;
}

export async function deploy(projectDir: string, args: DeployArgs, engine: StackEngine, io: DeployIo): Promise<DeployOutcome> {
  let plan;
  let policyPack;
  try {
    plan = planDeployment(projectDir, { environment: args.environment, org: args.org, only: args.only });
    policyPack = projectPolicyPack(projectDir);
  } catch (error) {
    io.err(messageOf(error));
    return { exitCode: 1 };
  }
  const report = await runDeployment(plan, engine, {
    preview: args.preview,
    parallel: args.parallel,
    policyPacks: [policyPack],
    writeLine: io.out,
    now: io.now,
  });
  io.out("");
  io.out(formatSummary(report.results));
  return { exitCode: report.ok ? 0 : 1, report };
}
