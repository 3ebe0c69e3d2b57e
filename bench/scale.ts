/** Program scale: the hub program under the mock runtime for growing N, each N in a fresh process. */
import { spawn } from "child_process";
import { join } from "path";
import type { MeasuredDocument } from "../policies/analysis/quotas";
import { track } from "./processes";

export type LargestDocument = Pick<MeasuredDocument, "resource" | "kind" | "size" | "limit">;

export interface ScalePoint {
  accounts: number;
  /** The hub document closest to its AWS size quota at this N. */
  largestDocument?: LargestDocument;
  wallMs: number;
  peakRssMb: number;
  resources: number;
  resourcesPerAccount: number;
  msPerAccount: number;
}

export interface ScaleResult {
  hub: ScalePoint[];
  workloadStack: { wallMs: number; peakRssMb: number; resources: number };
  /** Marginal cost between the two largest N: what one more account costs at scale. */
  marginal: { resourcesPerAccount: number; msPerAccount: number; rssMbPerAccount: number };
  flatResourcesPerAccount: boolean;
  comment: string;
}

interface ChildResult { kind: string; accounts: number; wallMs: number; resources: number; peakRssKb: number; largestDocument?: LargestDocument }

const CHILD_TIMEOUT_MS = 180_000;

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "scale-child.ts"), ...args], {
      cwd: join(__dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
    }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith("SCALE_RESULT "));
      if (code !== 0 || !line) {
        reject(new Error(`scale run ${args.join(" ")} failed (exit ${code ?? signal}):\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice("SCALE_RESULT ".length)) as ChildResult);
    });
  });
}

export async function runScaleBench(counts: number[], log: (line: string) => void): Promise<ScaleResult> {
  const hub: ScalePoint[] = [];
  for (const accounts of counts) {
    log(`scale: hub program with ${accounts} workload accounts`);
    const run = await runChild(["hub", String(accounts)]);
    hub.push({
      accounts,
      wallMs: run.wallMs,
      peakRssMb: run.peakRssKb / 1024,
      resources: run.resources,
      resourcesPerAccount: run.resources / accounts,
      msPerAccount: run.wallMs / accounts,
      largestDocument: run.largestDocument,
    });
  }
  log("scale: one workload stack");
  const workload = await runChild(["workload"]);
  const [a, b] = hub.slice(-2);
  const marginal = b && a
    ? {
        resourcesPerAccount: (b.resources - a.resources) / (b.accounts - a.accounts),
        msPerAccount: (b.wallMs - a.wallMs) / (b.accounts - a.accounts),
        rssMbPerAccount: (b.peakRssMb - a.peakRssMb) / (b.accounts - a.accounts),
      }
    : { resourcesPerAccount: NaN, msPerAccount: NaN, rssMbPerAccount: NaN };
  // Flat means the marginal resources per account equal those between the first two N.
  const first = hub.length > 1 ? (hub[1].resources - hub[0].resources) / (hub[1].accounts - hub[0].accounts) : NaN;
  const flatResourcesPerAccount = first === marginal.resourcesPerAccount;
  const early = hub.length > 1 ? (hub[1].wallMs - hub[0].wallMs) / (hub[1].accounts - hub[0].accounts) : NaN;
  const timeGrowth = marginal.msPerAccount / early;
  const comment =
    `Each account adds ${marginal.resourcesPerAccount} resources (${flatResourcesPerAccount ? "the same at every N: flat" : `vs ${first} between the first two N: not flat`}); ` +
    `marginal time ${marginal.msPerAccount.toFixed(1)} ms/account at the largest N vs ${early.toFixed(1)} ms/account between the first two N ` +
    `(x${timeGrowth.toFixed(2)}${timeGrowth < 1.5 ? ", roughly flat" : ", growing: some per-resource cost rises with N"}); ` +
    `memory grows by ${marginal.rssMbPerAccount.toFixed(2)} MB/account.`;
  return {
    hub,
    workloadStack: { wallMs: workload.wallMs, peakRssMb: workload.peakRssKb / 1024, resources: workload.resources },
    marginal,
    flatResourcesPerAccount,
    comment,
  };
}
