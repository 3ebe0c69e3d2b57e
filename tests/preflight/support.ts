/** Generated organisations and hand-made plans for the preflight quota tests. */
import { generatedHubConfig, BENCH_ENVIRONMENT, BENCH_HUB_ACCOUNT, BENCH_REGION } from "../../bench/generated-org";
import { HubStackConfig } from "../../stacks/config/schema";
import { EnvironmentPlan, PlannedStack } from "../../stacks/plan/plan";
import { ResourceRecord, runStackUnderMocks } from "../../stacks/plan/run-stack";
import { hubConfigOf } from "../../stacks/preflight/hub-config";

export { BENCH_HUB_ACCOUNT, BENCH_REGION };

const configs = new Map<number, HubStackConfig>();

/** The validated hub config of a generated organisation with `accounts` workload accounts. */
export function generatedOrg(accounts: number): HubStackConfig {
  if (!configs.has(accounts)) configs.set(accounts, hubConfigOf(BENCH_ENVIRONMENT, generatedHubConfig(accounts)));
  return configs.get(accounts)!;
}

/** The hub stack of a generated organisation, planned under the mock runtime (seconds for tens of accounts). */
export async function generatedHubPlan(accounts: number): Promise<EnvironmentPlan> {
  const run = await runStackUnderMocks({
    stack: BENCH_ENVIRONMENT,
    config: generatedHubConfig(accounts),
    fallbackTarget: { accountId: BENCH_HUB_ACCOUNT, region: BENCH_REGION },
  });
  return {
    environment: BENCH_ENVIRONMENT,
    stacks: [{ stack: BENCH_ENVIRONMENT, kind: "hub", accountId: BENCH_HUB_ACCOUNT, resources: run.resources, artifacts: [], outputs: run.outputs }],
  };
}

/** A resource record as the plan records it, for hand-made plans. */
export function record(type: string, name: string, accountId: string | null, inputs: Record<string, unknown> = {}): ResourceRecord {
  return { urn: `urn:pulumi:test::p::${type}::${name}`, type, name, custom: true, parent: null, provider: null, accountId, inputs };
}

export function planOfStacks(...stacks: Array<Pick<PlannedStack, "stack" | "kind" | "accountId" | "resources">>): EnvironmentPlan {
  return { environment: BENCH_ENVIRONMENT, stacks: stacks.map((s) => ({ ...s, artifacts: [], outputs: {} })) };
}
