/**
 * `npm run plan -- --env <env> [--out <dir>]`: the offline plan. No cloud credentials and
 * no Pulumi CLI are needed; values only AWS can know are marked "known-at-deploy".
 */
import { resolve } from "path";
import { planEnvironment, writePlan } from "./plan";
import { formatPlanSummary } from "./summary";

function argument(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const environment = argument("env");
  if (!environment) {
    console.error("usage: npm run plan -- --env <dev|prod> [--out out]");
    process.exit(2);
  }
  const projectDir = resolve(__dirname, "../..");
  const outDir = resolve(argument("out", "out")!);
  const started = Date.now();
  const plan = await planEnvironment(projectDir, environment);
  writePlan(plan, outDir);
  console.log(formatPlanSummary(plan, outDir));
  console.log(`\nplanned ${plan.stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
