/**
 * Wall-clock figures of the deploy driver with the real Automation API against the stand-in
 * CLI, printed (not asserted):
 *
 *   npx ts-node --transpile-only tests/automation/measure-stand-in.ts [--stacks 50] [--parallel 1,4] [--operation-ms 0]
 *
 * For each bound: a first update of an environment of N accounts (2N + 2 stacks: the shared hub,
 * each account's hub and workload stacks, the query stack), then a second
 * update over the unchanged stacks (every one skipped as up to date), with the number of
 * CLI invocations each made. `--operation-ms` makes each stand-in preview/up last that long
 * (a real update takes minutes; the stand-in's take milliseconds, so without it the figures
 * measure the driver's and the CLI round trips' own cost).
 */
import { cpus } from "os";
import { modelWithWorkloads, removeProject, writeProject } from "./project";
import { StandIn } from "./stand-in";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

async function measure(stacks: number, parallel: number, operationMs: number): Promise<string[]> {
  const standIn = new StandIn({ operationMs });
  const projectDir = writeProject(modelWithWorkloads(stacks));
  try {
    const rows: string[] = [];
    for (const pass of ["first update", "second update"]) {
      const started = Date.now();
      const run = await standIn.deploy(projectDir, ["--env", "dev", "--parallel", String(parallel)]);
      const seconds = (Date.now() - started) / 1000;
      const statuses = run.outcome.report?.results.map((r) => r.status) ?? [];
      const count = (status: string) => statuses.filter((s) => s === status).length;
      rows.push(`| ${stacks} + hub | ${parallel} | ${pass} | ${seconds.toFixed(1)} s | ${run.log.length} | ${count("succeeded")} updated, ${count("up-to-date")} up to date, ${count("failed")} failed |`);
      if (run.outcome.exitCode !== 0) rows.push(`| | | exit ${run.outcome.exitCode}: ${run.err.join(" ")} | | | |`);
    }
    return rows;
  } finally {
    removeProject(projectDir);
    standIn.dispose();
  }
}

async function main(): Promise<void> {
  const stacks = Number(option("stacks", "50"));
  const bounds = option("parallel", "1,4").split(",").map(Number);
  const operationMs = Number(option("operation-ms", "0"));
  console.log(`stand-in: ${stacks} workload stacks, operation ${operationMs} ms, ${cpus().length} CPUs, node ${process.version}\n`);
  console.log("| stacks | --parallel | run | wall clock | CLI invocations | result |");
  console.log("|---|---|---|---|---|---|");
  for (const parallel of bounds) {
    for (const row of await measure(stacks, parallel, operationMs)) console.log(row);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
