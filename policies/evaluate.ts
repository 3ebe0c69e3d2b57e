/**
 * Runs the pack's rules over plain resource records, without the Pulumi engine: what the
 * offline plan and `npm run policy` call. Same rules, same options, same levels as the pack.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { EvaluationContext, isExempt, ResourceRecord } from "./analysis/model";
import { RESOURCE_RULES, STACK_RULES } from "./catalog";
import { PackConfig, resolveRuleConfig } from "./config";

export interface PolicyViolation {
  policy: string;
  enforcementLevel: "mandatory" | "advisory";
  urn: string;
  resourceName: string;
  resourceType: string;
  location: string;
  message: string;
}

export interface EvaluateOptions {
  /** Account the resources are deployed into (the stack's provider account), unless a record names its own. */
  accountId?: string;
  config?: PackConfig;
}

export function evaluateResources(records: ResourceRecord[], options: EvaluateOptions = {}): PolicyViolation[] {
  const contextOf = (record: ResourceRecord): EvaluationContext => ({ accountId: record.accountId ?? options.accountId });
  const violations: PolicyViolation[] = [];
  for (const rule of RESOURCE_RULES) {
    const { enforcementLevel, options: ruleOptions } = resolveRuleConfig(options.config, rule.name, rule.enforcementLevel);
    if (enforcementLevel === "disabled") continue;
    for (const record of records) {
      if (!rule.resourceTypes.has(record.type) || isExempt(ruleOptions, record)) continue;
      for (const finding of rule.check(record, contextOf(record), ruleOptions)) {
        violations.push({
          policy: rule.name,
          enforcementLevel: finding.inconclusive ? "advisory" : enforcementLevel,
          urn: record.urn,
          resourceName: record.name,
          resourceType: record.type,
          location: finding.location,
          message: finding.message,
        });
      }
    }
  }
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  for (const rule of STACK_RULES) {
    const { enforcementLevel, options: ruleOptions } = resolveRuleConfig(options.config, rule.name, rule.enforcementLevel);
    if (enforcementLevel === "disabled") continue;
    for (const finding of rule.checkStack(records, contextOf, ruleOptions)) {
      const record = byUrn.get(finding.urn);
      violations.push({
        policy: rule.name,
        enforcementLevel: finding.inconclusive ? "advisory" : enforcementLevel,
        urn: finding.urn,
        resourceName: record?.name ?? finding.urn,
        resourceType: record?.type ?? "",
        location: finding.location,
        message: finding.message,
      });
    }
  }
  return violations;
}

const planStackSchema = z.object({
  stack: z.string(),
  environment: z.string(),
  accountId: z.string(),
  resources: z.array(
    z.object({
      urn: z.string(),
      type: z.string(),
      name: z.string(),
      custom: z.boolean(),
      parent: z.string().nullable(),
      provider: z.string().nullable(),
      accountId: z.string().nullable().optional(),
      inputs: z.record(z.unknown()),
    }),
  ),
});

export type PlanStack = z.infer<typeof planStackSchema>;

export interface StackEvaluation {
  stack: string;
  environment: string;
  accountId: string;
  resourceCount: number;
  violations: PolicyViolation[];
  mandatory: number;
  advisory: number;
}

export interface PlanEvaluation {
  planDir: string;
  stacks: StackEvaluation[];
  resourceCount: number;
  mandatory: number;
  advisory: number;
  /** Wall time to read and evaluate the plan, in milliseconds. */
  durationMs: number;
}

export function readPlanStack(file: string): PlanStack {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read the plan's resources (${(error as Error).message})`);
  }
  const parsed = planStackSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: not a plan resources file: ${issue.path.join(".") || "<root>"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Subfolders of `dir` that hold stacks: the folders of an `<out>` that contains several environments' plans. */
function environmentPlanFolders(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.readdirSync(path.join(dir, entry.name), { withFileTypes: true })
      .some((inner) => inner.isDirectory() && fs.existsSync(path.join(dir, entry.name, inner.name, "resources.json"))))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Evaluates `<planDir>/<stack>/resources.json` for every stack directory of an offline plan
 * of one environment (`npm run plan` writes it to `out/<env>`). A plan folder whose last
 * plan failed, or stacks of several environments, are refused: neither is a current result.
 */
export function evaluatePlan(planDir: string, options: Pick<EvaluateOptions, "config"> = {}): PlanEvaluation {
  const started = process.hrtime.bigint();
  if (!fs.existsSync(planDir) || !fs.statSync(planDir).isDirectory()) {
    throw new Error(`plan directory ${planDir} does not exist; run the offline plan first (npm run plan -- --env <env>, then npm run policy -- out/<env>)`);
  }
  const header = path.join(planDir, "plan.json");
  if (fs.existsSync(header)) {
    const summary = JSON.parse(fs.readFileSync(header, "utf8")) as { status?: string; environment?: string; error?: string };
    if (summary.status === "failed") {
      throw new Error(`the last plan in ${planDir} failed, so it holds no current result:\n${summary.error ?? "(no message)"}\nfix it and run npm run plan -- --env ${summary.environment ?? "<env>"} again`);
    }
  }
  const planFolders = environmentPlanFolders(planDir);
  if (planFolders.length > 0) {
    throw new Error(`${planDir} holds the plans of ${planFolders.length > 1 ? "several environments" : "an environment"} (${planFolders.join(", ")}), not the stacks of one: name one, e.g. npm run policy -- ${path.join(planDir, planFolders[0])}`);
  }
  const stackFiles = fs
    .readdirSync(planDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((stackDir) => path.join(planDir, stackDir, "resources.json"))
    .filter((file) => fs.existsSync(file));
  if (stackFiles.length === 0) throw new Error(`plan directory ${planDir} has no <stack>/resources.json files`);
  const plans = stackFiles.map(readPlanStack);
  // Refused before any policy runs: the stacks of several environments are no one plan.
  const environments = [...new Set(plans.map((plan) => plan.environment))].sort();
  if (environments.length > 1) {
    throw new Error(`${planDir} mixes the stacks of environments ${environments.join(", ")}; evaluate one environment's plan at a time (npm run plan writes each to out/<env>)`);
  }
  const stacks = plans.map((plan) => {
    const violations = evaluateResources(plan.resources, { accountId: plan.accountId, config: options.config });
    return {
      stack: plan.stack,
      environment: plan.environment,
      accountId: plan.accountId,
      resourceCount: plan.resources.length,
      violations,
      mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
      advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
    };
  });
  return {
    planDir,
    stacks,
    resourceCount: stacks.reduce((n, s) => n + s.resourceCount, 0),
    mandatory: stacks.reduce((n, s) => n + s.mandatory, 0),
    advisory: stacks.reduce((n, s) => n + s.advisory, 0),
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}
