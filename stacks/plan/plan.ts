/**
 * The offline plan of an environment: every stack the driver deploys, each fed with the
 * actual outputs of the stacks it references, all under the mock runtime; resources and
 * rendered artifacts are written per stack.
 */
import { mkdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { Artifact, extractArtifacts } from "./artifacts";
import { replacePlanFolder } from "./output-folder";
import { hubAccountStackName, hubQueryStackName } from "../contract";
import { PlannedCloud, isSecretValue } from "./mocks";
import { ResourceRecord, SECRET_MARKER, runStackUnderMocks } from "./run-stack";
import { AccountEntry, hubAccountStackConfig, hubQueryStackConfig, readHubStackConfig, workloadStackConfig } from "./stack-files";

/**
 * - `hub`: the shared hub stack `<env>`;
 * - `hub-account`: an account's hub-side stack `<env>-hub-<account>`;
 * - `hub-query`: Promxy and the cross-account views, `<env>-query`;
 * - `workload`: an account's own stack `<env>-<account>`.
 */
export type StackKind = "hub" | "hub-account" | "hub-query" | "workload";

export interface PlannedStack {
  stack: string;
  kind: StackKind;
  accountId: string;
  resources: ResourceRecord[];
  artifacts: Artifact[];
  outputs: Record<string, unknown>;
}

export interface EnvironmentPlan {
  environment: string;
  stacks: PlannedStack[];
}

interface HubSettings {
  accountId: string;
  region: string;
}

/**
 * Every stack of the environment in the order the driver deploys them: the shared hub,
 * each account's hub stack, the query stack, then the workload stacks, each fed with the
 * outputs of the stack it references. `hubConfig`: the environment's stack file config,
 * when the caller has read it already.
 */
export async function planEnvironment(
  projectDir: string,
  environment: string,
  hubConfig: Record<string, unknown> = readHubStackConfig(projectDir, environment),
): Promise<EnvironmentPlan> {
  return planStacks(environment, hubConfig);
}

export interface PlanStacksOptions {
  /** Plan the workload stacks too (default); without them, only what the hub account gets. */
  workloads?: boolean;
  /** Told each stack as it is planned (progress of long plans). */
  onStack?: (stack: PlannedStack, index: number) => void;
  /** Tests only: record secret inputs with their values (still marked secret), to check what reached them. */
  revealSecrets?: boolean;
}

/** The plan of an environment from its hub stack config (`Pulumi.<env>.yaml`'s `config:`). */
export async function planStacks(environment: string, hubConfig: Record<string, unknown>, options: PlanStacksOptions = {}): Promise<EnvironmentPlan> {
  const hub = hubConfig["observability:hub"] as HubSettings | undefined;
  const hubTarget = { accountId: hub?.accountId ?? "000000000000", region: hub?.region ?? "us-east-1" };
  const cloud = new PlannedCloud();
  const stacks: PlannedStack[] = [];
  const plan = async (stack: string, kind: StackKind, accountId: string, config: Record<string, unknown>, referencedStacks: Record<string, Record<string, unknown>> = {}) => {
    const run = await runStackUnderMocks({ stack, config, referencedStacks, fallbackTarget: { accountId, region: hubTarget.region }, cloud, revealSecrets: options.revealSecrets });
    const planned = { stack, kind, accountId, resources: run.resources, artifacts: extractArtifacts(run.resources), outputs: run.outputs };
    stacks.push(planned);
    options.onStack?.(planned, stacks.length - 1);
    return run.outputs;
  };

  const shared = { [environment]: await plan(environment, "hub", hubTarget.accountId, hubConfig) };
  const workloads = (hubConfig["observability:workloads"] ?? []) as Array<AccountEntry & { accountId: string }>;
  const accountHubs: Record<string, Record<string, unknown>> = {};
  for (const workload of workloads) {
    const stack = hubAccountStackName(environment, workload.name);
    accountHubs[stack] = await plan(stack, "hub-account", hubTarget.accountId, hubAccountStackConfig(environment, workload), shared);
  }
  await plan(hubQueryStackName(environment), "hub-query", hubTarget.accountId, hubQueryStackConfig(environment), shared);
  if (options.workloads === false) return { environment, stacks };
  for (const workload of workloads) {
    const accountHub = hubAccountStackName(environment, workload.name);
    await plan(`${environment}-${workload.name}`, "workload", workload.accountId, workloadStackConfig(environment, workload.name),
      { [accountHub]: accountHubs[accountHub] });
  }
  return { environment, stacks };
}

/** Outputs as a plan file shows them: a secret output is only said to be one. */
export function redactedOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, isSecretValue(value) ? SECRET_MARKER : value]));
}

/**
 * Writes the plan into `planDir` (`<out>/<env>`), which it owns: the folder is replaced whole,
 * with one folder per stack and the given summary files (plan.json, plan.md).
 */
export function writePlan(plan: EnvironmentPlan, planDir: string, files: Record<string, string> = {}): void {
  replacePlanFolder(planDir, plan.environment, (folder) => {
    for (const planned of plan.stacks) {
      const dir = join(folder, planned.stack);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "resources.json"), JSON.stringify({
        stack: planned.stack,
        environment: plan.environment,
        accountId: planned.accountId,
        resources: planned.resources,
      }, null, 2) + "\n");
      writeFileSync(join(dir, "outputs.json"), JSON.stringify(redactedOutputs(planned.outputs), null, 2) + "\n");
      for (const artifact of planned.artifacts) {
        const file = join(dir, "artifacts", artifact.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, artifact.content);
      }
    }
    for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  });
}
