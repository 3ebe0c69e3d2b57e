/**
 * `npm run plan -- --env <env> [--out <dir>]`: the offline plan. No cloud credentials and
 * no Pulumi CLI are needed; values only AWS can know are marked "known-at-deploy".
 */
import { resolve } from "path";
import { evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { planEnvironment, writePlan } from "./plan";
import { formatPlanSummary } from "./summary";
import { reportQuotas } from "../preflight/plan-section";

function argument(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const environment = argument("env");
  if (!environment) {
    console.error("usage: npm run plan -- --env <dev|prod> [--out out] [--no-policy]");
    process.exit(2);
  }
  const projectDir = resolve(__dirname, "../..");
  const outDir = resolve(argument("out", "out")!);
  const started = Date.now();
  const plan = await planEnvironment(projectDir, environment);
  writePlan(plan, outDir);
  console.log(formatPlanSummary(plan, outDir));
  console.log(`\nplanned ${plan.stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  if (process.argv.includes("--no-policy")) {
    reportQuotas(projectDir, environment, plan);
    return;
  }
  // The policy pack runs on every plan, as it does on every preview.
  console.log("\n## Policy pack (least-privilege IAM)");
  // The project's reviewed exceptions: the discovery actions of the AWS Load Balancer
  // Controller, which must see load balancers and certificates it cannot name in advance.
  const config = loadProjectPolicyConfig();
  let mandatory = 0;
  for (const planned of plan.stacks) {
    const violations = evaluateResources(planned.resources, { accountId: planned.accountId, config });
    const stackMandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    mandatory += stackMandatory.length;
    console.log(`${planned.stack}: ${stackMandatory.length} mandatory, ${violations.length - stackMandatory.length} advisory`);
    for (const v of violations) console.log(`  [${v.enforcementLevel}] ${v.policy} ${v.resourceType} ${v.resourceName}: ${v.message}`);
  }
  if (mandatory > 0) {
    console.error(`\n${mandatory} mandatory policy violation(s): fix them before deploying (details above; npm run policy -- ${outDir})`);
    process.exitCode = 1;
  }
  reportQuotas(projectDir, environment, plan);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
