/**
 * One program-scale measurement in a fresh process (so peak RSS belongs to this N alone):
 * `scale-child.ts <N>` plans a generated environment of N accounts the way `npm run plan`
 * does (every stack, in deploy order, under the mock runtime), then, with `--onboard`,
 * the hub side again with one account more, to count what changes in the shared stacks.
 * Prints one result line.
 */
import { largestAgainstQuota, measureDocuments } from "../policies/analysis/quotas";
import { compareStacks } from "../stacks/plan/changes";
import { EnvironmentPlan, StackKind, planStacks } from "../stacks/plan/plan";
import { BENCH_ENVIRONMENT, generatedHubConfig } from "./generated-org";

export const RESULT_PREFIX = "SCALE_RESULT ";

type PerKind = Partial<Record<StackKind, { stacks: number; largest: number; total: number }>>;

function perKind(plan: EnvironmentPlan): PerKind {
  const kinds: PerKind = {};
  for (const stack of plan.stacks) {
    const k = (kinds[stack.kind] ??= { stacks: 0, largest: 0, total: 0 });
    k.stacks++;
    k.total += stack.resources.length;
    k.largest = Math.max(k.largest, stack.resources.length);
  }
  return kinds;
}

/** Resources added, removed or changed in the stacks every account shares when one account joins. */
function sharedChanges(before: EnvironmentPlan, after: EnvironmentPlan) {
  const shared = (plan: EnvironmentPlan) => plan.stacks.filter((s) => s.kind === "hub" || s.kind === "hub-query");
  return shared(after).map((stack) => {
    const previous = shared(before).find((s) => s.stack === stack.stack);
    const change = compareStacks(stack.stack, previous?.resources, stack.resources);
    return { stack: stack.stack, added: change.added.length, removed: change.removed.length, changed: change.changed.map((c) => `${c.type} ${c.name} [${c.keys.join(",")}]`) };
  });
}

async function main(): Promise<void> {
  const accounts = Number(process.argv[2]);
  const onboard = process.argv.includes("--onboard");
  if (!(accounts >= 1)) throw new Error("usage: scale-child.ts <accounts> [--onboard]");
  const rssBefore = process.resourceUsage().maxRSS;
  const started = process.hrtime.bigint();
  let largestDocument: { resource: string; kind: string; size: number; limit: number; stack: string } | undefined;
  // Documents are measured as each stack is planned, so no stack's records need to be kept for it.
  const plan = await planStacks(BENCH_ENVIRONMENT, generatedHubConfig(accounts), {
    onStack: (stack) => {
      const largest = largestAgainstQuota(measureDocuments(stack.resources));
      if (largest && (!largestDocument || largest.size / largest.limit > largestDocument.size / largestDocument.limit)) {
        largestDocument = { resource: largest.resource, kind: largest.kind, size: largest.size, limit: largest.limit, stack: stack.stack };
      }
    },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const peakRssKb = process.resourceUsage().maxRSS;
  const largestStack = plan.stacks.reduce((a, b) => (b.resources.length > a.resources.length ? b : a));
  const result = {
    accounts,
    wallMs,
    peakRssKb,
    rssBeforeRunKb: rssBefore,
    stacks: plan.stacks.length,
    resources: plan.stacks.reduce((n, s) => n + s.resources.length, 0),
    largestStack: { stack: largestStack.stack, kind: largestStack.kind, resources: largestStack.resources.length },
    perKind: perKind(plan),
    largestDocument,
    onboarding: onboard ? sharedChanges(plan, await planStacks(BENCH_ENVIRONMENT, generatedHubConfig(accounts + 1), { workloads: false })) : undefined,
  };
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(require("util").inspect(error, { depth: 4 }));
    process.exit(1);
  },
);
