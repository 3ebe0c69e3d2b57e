/**
 * One deployment of an environment, from arguments to exit code: validate the organisation
 * model (before any engine call), run hub then workloads with the policy pack, print the
 * summary. The engine is a parameter; the CLI passes the Automation API one.
 */
import { resolve } from "path";
import { DeployArgs } from "./args";
import { StackEngine } from "./engine";
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

export interface DeployOutcome {
  exitCode: number;
  /** Absent when the run stopped before touching any stack. */
  report?: DeploymentReport;
}

export async function deploy(projectDir: string, args: DeployArgs, engine: StackEngine, io: DeployIo): Promise<DeployOutcome> {
  let plan;
  try {
    plan = planDeployment(projectDir, { environment: args.environment, org: args.org, only: args.only });
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return { exitCode: 1 };
  }
  const report = await runDeployment(plan, engine, {
    preview: args.preview,
    parallel: args.parallel,
    policyPacks: [policyPackDir(projectDir)],
    writeLine: io.out,
    now: io.now,
  });
  io.out("");
  io.out(formatSummary(report.results));
  return { exitCode: report.ok ? 0 : 1, report };
}
