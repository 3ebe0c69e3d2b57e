/**
 * The offline plan of an environment: the hub stack, then every workload stack fed with
 * the hub's actual outputs, all under the mock runtime; resources and rendered artifacts
 * are written per stack.
 */
import { mkdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { Artifact, extractArtifacts } from "./artifacts";
import { replacePlanFolder } from "./output-folder";
import { ResourceRecord, runStackUnderMocks } from "./run-stack";
import { readHubStackConfig, workloadStackConfig } from "./stack-files";

export interface PlannedStack {
  stack: string;
  kind: "hub" | "workload";
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

/** `hubConfig`: the environment's stack file config, when the caller has read it already. */
export async function planEnvironment(
  projectDir: string,
  environment: string,
  hubConfig: Record<string, unknown> = readHubStackConfig(projectDir, environment),
): Promise<EnvironmentPlan> {
  const hub = hubConfig["observability:hub"] as HubSettings | undefined;
  const fallbackTarget = { accountId: hub?.accountId ?? "000000000000", region: hub?.region ?? "us-east-1" };

  const hubRun = await runStackUnderMocks({ stack: environment, config: hubConfig, fallbackTarget });
  const stacks: PlannedStack[] = [{
    stack: environment, kind: "hub", accountId: fallbackTarget.accountId,
    resources: hubRun.resources, artifacts: extractArtifacts(hubRun.resources), outputs: hubRun.outputs,
  }];

  const workloads = (hubConfig["observability:workloads"] ?? []) as Array<{ name: string; accountId: string }>;
  for (const workload of workloads) {
    const stack = `${environment}-${workload.name}`;
    const run = await runStackUnderMocks({
      stack,
      config: workloadStackConfig(environment, workload.name),
      referencedStacks: { [environment]: hubRun.outputs },
      fallbackTarget: { accountId: workload.accountId, region: fallbackTarget.region },
    });
    stacks.push({
      stack, kind: "workload", accountId: workload.accountId,
      resources: run.resources, artifacts: extractArtifacts(run.resources), outputs: run.outputs,
    });
  }
  return { environment, stacks };
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
      writeFileSync(join(dir, "outputs.json"), JSON.stringify(planned.outputs, null, 2) + "\n");
      for (const artifact of planned.artifacts) {
        const file = join(dir, "artifacts", artifact.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, artifact.content);
      }
    }
    for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  });
}
