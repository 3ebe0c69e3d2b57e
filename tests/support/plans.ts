/** Offline plans of the committed environments, computed once per test run. */
import { EnvironmentPlan, PlannedStack, planEnvironment } from "../../stacks/plan/plan";
import { ResourceRecord } from "../../stacks/plan/run-stack";
import { PROJECT_DIR } from "./org-model";

const cache = new Map<string, Promise<EnvironmentPlan>>();

export function planOf(environment: string): Promise<EnvironmentPlan> {
  if (!cache.has(environment)) cache.set(environment, planEnvironment(PROJECT_DIR, environment));
  return cache.get(environment)!;
}

export async function stackOf(environment: string, stack: string): Promise<PlannedStack> {
  const planned = (await planOf(environment)).stacks.find((s) => s.stack === stack);
  if (!planned) throw new Error(`no stack ${stack} in the ${environment} plan`);
  return planned;
}

export function ofType(stack: PlannedStack, type: string): ResourceRecord[] {
  return stack.resources.filter((r) => r.type === type);
}

export function named(stack: PlannedStack, name: string): ResourceRecord {
  const found = stack.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} in ${stack.stack}: ${stack.resources.map((r) => r.name).join(", ")}`);
  return found;
}

export function doc(value: unknown): any {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/**
 * Everything the hub account gets, spread over the shared hub stack, the accounts' hub
 * stacks and the query stack, seen as one stack: its outputs are the shared stack's, with
 * `workloads` gathered from the accounts' hub stacks and the query stack's outputs added.
 */
export function hubSide(plan: EnvironmentPlan): PlannedStack {
  const shared = plan.stacks.find((s) => s.kind === "hub");
  if (!shared) throw new Error(`the ${plan.environment} plan has no shared hub stack`);
  const parts = plan.stacks.filter((s) => s.kind !== "workload");
  const accountHubs = parts.filter((s) => s.kind === "hub-account");
  const query = parts.find((s) => s.kind === "hub-query");
  return {
    ...shared,
    resources: parts.flatMap((s) => s.resources),
    artifacts: parts.flatMap((s) => s.artifacts),
    outputs: {
      ...shared.outputs,
      ...(query?.outputs ?? {}),
      workloads: Object.assign({}, ...accountHubs.map((s) => s.outputs.workloads as Record<string, unknown>)),
    },
  };
}

export async function hubSideOf(environment: string): Promise<PlannedStack> {
  return hubSide(await planOf(environment));
}
