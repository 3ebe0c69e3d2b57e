/**
 * One program-scale measurement in a fresh process (so peak RSS belongs to this N alone):
 * `scale-child.ts hub <N>` or `scale-child.ts workload`. Prints one result line.
 */
import { largestAgainstQuota, measureDocuments } from "../policies/analysis/quotas";
import { runStackUnderMocks } from "../stacks/plan/run-stack";
import { workloadStackConfig } from "../stacks/plan/stack-files";
import { BENCH_ENVIRONMENT, BENCH_HUB_ACCOUNT, BENCH_REGION, generatedHubConfig, generatedWorkload } from "./generated-org";

export const RESULT_PREFIX = "SCALE_RESULT ";

async function main(): Promise<void> {
  const [kind, count] = process.argv.slice(2);
  const accounts = kind === "hub" ? Number(count) : 1;
  if (!(accounts >= 1)) throw new Error("usage: scale-child.ts hub <accounts> | workload");
  const fallbackTarget = { accountId: BENCH_HUB_ACCOUNT, region: BENCH_REGION };
  const rssBefore = process.resourceUsage().maxRSS;
  const started = process.hrtime.bigint();
  const hub = await runStackUnderMocks({ stack: BENCH_ENVIRONMENT, config: generatedHubConfig(accounts), fallbackTarget });
  let wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let resources = hub.resources.length;
  if (kind === "workload") {
    // The workload stack reads the hub's real outputs, as `npm run plan` wires them.
    const workload = generatedWorkload(1);
    const workloadStarted = process.hrtime.bigint();
    const run = await runStackUnderMocks({
      stack: `${BENCH_ENVIRONMENT}-${workload.name}`,
      config: workloadStackConfig(BENCH_ENVIRONMENT, workload.name),
      referencedStacks: { [BENCH_ENVIRONMENT]: hub.outputs },
      fallbackTarget: { accountId: workload.accountId, region: BENCH_REGION },
    });
    wallMs = Number(process.hrtime.bigint() - workloadStarted) / 1e6;
    resources = run.resources.length;
  }
  // Peak RSS of the run alone, read before the documents are measured.
  const peakRssKb = process.resourceUsage().maxRSS;
  // The fullest document of the hub against its AWS size quota (the pack's own measure); only hub points report it.
  const largest = kind === "hub" ? largestAgainstQuota(measureDocuments(hub.resources)) : undefined;
  const largestDocument = largest && { resource: largest.resource, kind: largest.kind, size: largest.size, limit: largest.limit };
  const result = { kind, accounts, wallMs, resources, peakRssKb, rssBeforeRunKb: rssBefore, largestDocument };
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(require("util").inspect(error, { depth: 4 }));
    process.exit(1);
  },
);
