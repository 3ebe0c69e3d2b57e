/**
 * One run of the offline plan into the folder it owns, `<out>/<env>/`: the stacks, the
 * policy pack, the summary files and the comparison with the plan the folder held before.
 * A plan that fails replaces the folder's result with a record of the failure.
 */
import { join, resolve } from "path";
import { evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { HubStackConfig } from "../config/schema";
import { hubConfigOf } from "../preflight/hub-config";
import { summariseAccounts } from "./accounts";
import { PlanArguments } from "./args";
import { compareWithPrevious, readPreviousPlan } from "./changes";
import { followUpsOf } from "./follow-ups";
import { assertReplaceable, markPlanFailed, PLAN_FILE, PLAN_MARKDOWN_FILE } from "./output-folder";
import { EnvironmentPlan, planEnvironment, writePlan } from "./plan";
import { buildPlanReport, failedPlanReport, PlanReport, renderFailedPlanMarkdown, renderPlanMarkdown, StackPolicyResult } from "./report";
import { readHubStackConfig } from "./stack-files";

export interface PlanRun {
  plan: EnvironmentPlan;
  report: PlanReport;
  /** `<out>/<env>`: what `npm run policy --` takes. */
  planDir: string;
  /** The validated organisation model the plan was made from. */
  model: HubStackConfig;
  /** Per stack, when the policy pack ran. */
  policy?: StackPolicyResult[];
}

/**
 * The policy pack over every stack, with the project's reviewed exceptions
 * (policies/policy-config.json). What those exceptions let through is what the pack reports
 * with its defaults and not with the project's config: a reviewer sees each one applied.
 */
export function evaluatePlanPolicy(plan: EnvironmentPlan): StackPolicyResult[] {
  const config = loadProjectPolicyConfig();
  return plan.stacks.map((planned) => {
    const violations = evaluateResources(planned.resources, { accountId: planned.accountId, config });
    const key = (v: { policy: string; resourceName: string; message: string }) => `${v.policy}\u0000${v.resourceName}\u0000${v.message}`;
    const reported = new Set(violations.map(key));
    const exceptionsApplied = evaluateResources(planned.resources, { accountId: planned.accountId })
      .filter((v) => !reported.has(key(v)))
      .map((v) => ({ policy: v.policy, resourceName: v.resourceName, message: v.message }));
    return { stack: planned.stack, violations, exceptionsApplied };
  });
}

export async function planIntoFolder(projectDir: string, args: PlanArguments, now: () => Date = () => new Date()): Promise<PlanRun> {
  const { environment } = args;
  // Not an environment at all (a workload stack, a typo): nothing to record in any folder.
  const stackConfig = readHubStackConfig(projectDir, environment);
  const planDir = join(resolve(args.outDir), environment);
  // Refused before planning: the folder would not be written anyway.
  assertReplaceable(planDir);
  const previous = readPreviousPlan(planDir);

  let plan: EnvironmentPlan;
  let model: HubStackConfig;
  try {
    plan = await planEnvironment(projectDir, environment, stackConfig);
    model = hubConfigOf(environment, stackConfig);
  } catch (error) {
    const failed = failedPlanReport(environment, error, now());
    markPlanFailed(planDir, environment, { [PLAN_FILE]: JSON.stringify(failed, null, 2) + "\n", [PLAN_MARKDOWN_FILE]: renderFailedPlanMarkdown(failed) });
    throw error;
  }

  const policy = args.policy ? evaluatePlanPolicy(plan) : undefined;
  const report = buildPlanReport({
    plan,
    region: model.hub.region,
    accounts: summariseAccounts(model, Object.fromEntries(plan.stacks.map((s) => [s.stack, s.outputs]))),
    policy,
    changes: compareWithPrevious(previous, plan.stacks),
    followUps: followUpsOf(model),
    plannedAt: now(),
  });
  writePlan(plan, planDir, { [PLAN_FILE]: JSON.stringify(report, null, 2) + "\n", [PLAN_MARKDOWN_FILE]: renderPlanMarkdown(report) });
  return { plan, report, planDir, model, policy };
}
