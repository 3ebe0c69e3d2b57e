/**
 * `npm run bench [-- --window <s>] [-- --pods <n>] [-- --containers <n>] [-- --smoke]`: ingestion
 * cost of the collector config on a generated node of n pods,
 * program scale with the number of accounts, the notifier, and the self-hosted hub's ingest proxy; writes bench/results.json
 * and prints a markdown table.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { durationSeconds } from "../components/alert-pipeline/alertmanager";
import { collectorSchema } from "../stacks/config/schema";
import { IngestionResult, runIngestionBench } from "./ingestion";
import { IngestProxyBenchResult, runIngestProxyBench } from "./ingest-proxy";
import { NotifierBenchResult, runNotifierBench } from "./notifier";
import { installCleanup, killAllNow } from "./processes";
import { renderMarkdown } from "./report";
import { ScaleResult, runScaleBench } from "./scale";

export interface BenchResults {
  mode: "full" | "smoke";
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; node: string };
  ingestion: IngestionResult;
  scale: ScaleResult;
  notifier: NotifierBenchResult;
  ingestProxy: IngestProxyBenchResult;
}

interface Args { smoke: boolean; windowSeconds?: number; pods?: number; containersPerPod?: number; accounts?: number[]; out: string }

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, out: join(__dirname, "results.json") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--smoke") args.smoke = true;
    else if (argv[i] === "--window") args.windowSeconds = Number(argv[++i]);
    else if (argv[i] === "--pods") args.pods = Number(argv[++i]);
    else if (argv[i] === "--containers") args.containersPerPod = Number(argv[++i]);
    else if (argv[i] === "--accounts") args.accounts = (argv[++i] ?? "").split(",").map(Number);
    else if (argv[i] === "--out") args.out = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --window <seconds>, --pods <n>, --containers <n>, --accounts <n,n,...>, --smoke, --out <file>)`);
  }
  if (args.accounts !== undefined && !args.accounts.every((n) => Number.isInteger(n) && n > 0)) throw new Error("--accounts needs a comma-separated list of positive whole numbers, such as 10,100,300");
  for (const [flag, value] of [["--pods", args.pods], ["--containers", args.containersPerPod]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new Error(`${flag} needs a positive whole number`);
  }
  if (args.windowSeconds !== undefined && !(args.windowSeconds > 0)) throw new Error("--window needs a positive number of seconds");
  return args;
}

const log = (line: string) => console.error(`[bench] ${line}`);

async function main(): Promise<void> {
  installCleanup();
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const shippedInterval = Number(/^(\d+)s$/.exec(collectorSchema.parse({}).scrapeInterval)?.[1] ?? NaN);
  if (!Number.isFinite(shippedInterval)) throw new Error(`the collector's default scrape interval is not in seconds: ${collectorSchema.parse({}).scrapeInterval}`);
  // A smoke run keeps everything but shortens the window: 20 s at a 5 s interval gives the
  // compared instants enough samples that most probes have data (10 s left it at about half).
  const scrapeIntervalSeconds = args.smoke ? 5 : shippedInterval;
  // The services' job keeps its shipped ratio to the collector's interval (60 s to 30 s; 10 s to 5 s).
  const shippedServiceInterval = durationSeconds(collectorSchema.parse({}).serviceScrapeInterval);
  const serviceScrapeIntervalSeconds = (scrapeIntervalSeconds * shippedServiceInterval) / shippedInterval;
  const windowSeconds = args.windowSeconds ?? (args.smoke ? 20 : 120);
  const counts = args.accounts ?? (args.smoke ? [1, 10] : [10, 100, 300, 1000]);
  // A typical node: 30 pods of 2 containers (application and sidecar); a smoke run keeps it small.
  const pods = args.pods ?? (args.smoke ? 6 : 30);
  const containersPerPod = args.containersPerPod ?? 2;
  const ingestionOptions = { windowSeconds, scrapeIntervalSeconds, serviceScrapeIntervalSeconds, pods, containersPerPod, log };

  let ingestion: IngestionResult;
  let scale: ScaleResult;
  let notifier: NotifierBenchResult;
  if (args.smoke) {
    // The ingestion window is mostly waiting: a smoke run uses it for the other two parts.
    [ingestion, scale, notifier] = await Promise.all([
      runIngestionBench(ingestionOptions),
      runScaleBench(counts, log),
      runNotifierBench({ alerts: 1000, coldRuns: 5, log }),
    ]);
  } else {
    // The ingestion's figures are sample counts, not times, and its window is mostly waiting:
    // the program scale runs beside it (its wall times are then upper bounds), which keeps the
    // whole run under 10 minutes. Onboarding is measured up to 300 accounts: at 1,000 it would
    // plan the hub side twice. The notifier's timings are taken after both, on a quiet machine.
    [ingestion, scale] = await Promise.all([runIngestionBench(ingestionOptions), runScaleBench(counts, log, 300)]);
    notifier = await runNotifierBench({ alerts: 1000, coldRuns: 5, log });
  }
  // After the others: it measures request handling, which other processes would disturb.
  const ingestProxy = await runIngestProxyBench({ iterations: args.smoke ? 50 : 500, requests: args.smoke ? 20 : 200, log });
  const results: BenchResults = {
    mode: args.smoke ? "smoke" : "full",
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: { cpus: require("os").cpus().length, node: process.version },
    ingestion,
    scale,
    notifier,
    ingestProxy,
  };
  writeFileSync(args.out, JSON.stringify(results, null, 2) + "\n");
  console.log(renderMarkdown(results));
  log(`wrote ${args.out} in ${results.durationSeconds.toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] FAILED: ${error instanceof Error ? error.stack ?? error.message : error}`);
    killAllNow();
    process.exit(1);
  },
);
