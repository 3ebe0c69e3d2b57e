/**
 * `npm run plan -- --env <env> [--out <dir>] [--no-policy]`: the offline plan, written to
 * `<out>/<env>/`. No cloud credentials and no Pulumi CLI are needed; values only AWS can
 * know are marked "known-at-deploy".
 */
import { resolve } from "path";
import { parsePlanArguments, UsageError } from "./args";
import { formatReportSections } from "./report";
import { planIntoFolder } from "./run-plan";
import { formatPlanSummary } from "./summary";
import { reportQuotas } from "../preflight/plan-section";

async function main(): Promise<void> {
  const args = parsePlanArguments(process.argv.slice(2));
  const { environment } = args;
  const projectDir = resolve(__dirname, "../..");
  const started = Date.now();
  const { plan, report, planDir, model, policy } = await planIntoFolder(projectDir, args);
  console.log(formatPlanSummary(plan, planDir));
  console.log(formatReportSections(report));
  console.log(`\nplanned ${plan.stacks.length} stacks of ${environment} in ${((Date.now() - started) / 1000).toFixed(1)} s; summary in ${planDir}/plan.md and plan.json`);

  // The policy pack runs on every plan (unless --no-policy), as it does on every preview.
  if (policy !== undefined) {
    console.log("\n## Policy pack (least-privilege IAM)");
    // With the project's reviewed exceptions (policies/policy-config.json): the discovery actions
    // of the AWS Load Balancer Controller, which must see load balancers and certificates it cannot name in advance.
    let mandatory = 0;
    for (const { stack, violations } of policy) {
      const stackMandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
      mandatory += stackMandatory.length;
      console.log(`${stack}: ${stackMandatory.length} mandatory, ${violations.length - stackMandatory.length} advisory`);
      for (const v of violations) console.log(`  [${v.enforcementLevel}] ${v.policy} ${v.resourceType} ${v.resourceName}: ${v.message}`);
    }
    if (mandatory > 0) {
      console.error(`\n${mandatory} mandatory policy violation(s): fix them before deploying (details above; npm run policy -- ${planDir})`);
      process.exitCode = 1;
    }
  }
  reportQuotas(model, plan);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
