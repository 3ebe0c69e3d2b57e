/** Generated organisations and hand-made plans for the preflight quota tests. */
import { generatedHubConfig, BENCH_ENVIRONMENT, BENCH_HUB_ACCOUNT, BENCH_REGION } from "../../bench/generated-org";
import { HubStackConfig } from "../../stacks/config/schema";
import { EnvironmentPlan, PlannedStack, planStacks } from "../../stacks/plan/plan";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { hubConfigOf } from "../../stacks/preflight/hub-config";

export { BENCH_HUB_ACCOUNT, BENCH_REGION };

const configs = new Map<number, HubStackConfig>();

/** The validated hub config of a generated organisation with `accounts` workload accounts. */
export function generatedOrg(accounts: number): HubStackConfig {
  if (!configs.has(accounts)) configs.set(accounts, hubConfigOf(BENCH_ENVIRONMENT, generatedHubConfig(accounts)));
  return configs.get(accounts)!;
}

/** The hub-side stacks of a generated organisation, planned under the mock runtime (seconds for tens of accounts). */
export function generatedHubPlan(accounts: number): Promise<EnvironmentPlan> {
  return planStacks(BENCH_ENVIRONMENT, generatedHubConfig(accounts), { workloads: false });
}

/** A resource record as the plan records it, for hand-made plans. */
export function record(type: string, name: string, accountId: string | null, inputs: Record<string, unknown> = {}): ResourceRecord {
  return { urn: `urn:pulumi:test::p::${type}::${name}`, type, name, custom: true, parent: null, provider: null, accountId, inputs };
}

export function planOfStacks(...stacks: Array<Pick<PlannedStack, "stack" | "kind" | "accountId" | "resources">>): EnvironmentPlan {
  return { environment: BENCH_ENVIRONMENT, stacks: stacks.map((s) => ({ ...s, artifacts: [], outputs: {} })) };
}
