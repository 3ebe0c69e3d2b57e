/**
 * Program scale: a generated environment of N accounts planned the way `npm run plan` plans
 * one (every stack in deploy order, under the mock runtime), each N in a fresh process.
 */
import { spawn } from "child_process";
import { join } from "path";
import type { MeasuredDocument } from "../policies/analysis/quotas";
import type { StackKind } from "../stacks/plan/plan";
import { track } from "./processes";

export type LargestDocument = Pick<MeasuredDocument, "resource" | "kind" | "size" | "limit"> & { stack: string };

export interface SharedStackChange {
  stack: string;
  added: number;
  removed: number;
  /** `<type> <name> [changed input keys]`. */
  changed: string[];
}

export interface ScalePoint {
  accounts: number;
  wallMs: number;
  peakRssMb: number;
  stacks: number;
  resources: number;
  resourcesPerAccount: number;
  largestStack: { stack: string; kind: StackKind; resources: number };
  /** Per kind of stack: how many, the largest one's resources, all their resources. */
  perKind: Partial<Record<StackKind, { stacks: number; largest: number; total: number }>>;
  /** The document of any stack closest to its AWS size quota at this N. */
  largestDocument?: LargestDocument;
  /** When measured: what one more account changes in the shared hub and query stacks. */
  onboarding?: SharedStackChange[];
}

export interface ScaleResult {
  points: ScalePoint[];
  /** The largest stack has the same size at every N. */
  largestStackFlat: boolean;
  comment: string;
}

interface ChildResult extends Omit<ScalePoint, "peakRssMb" | "resourcesPerAccount"> { peakRssKb: number }

/** The largest N plans about 2,000 stacks: minutes, not seconds. */
const CHILD_TIMEOUT_MS = 30 * 60_000;

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ["--max-old-space-size=4096", "-r", "ts-node/register/transpile-only", join(__dirname, "scale-child.ts"), ...args], {
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

/** `onboardUpTo`: the largest N at which the plan is repeated with one account more. */
export async function runScaleBench(counts: number[], log: (line: string) => void, onboardUpTo = Infinity): Promise<ScaleResult> {
  const points: ScalePoint[] = [];
  for (const accounts of counts) {
    const onboard = accounts <= onboardUpTo;
    log(`scale: environment of ${accounts} accounts${onboard ? ", then one more (hub side)" : ""}`);
    const { peakRssKb, ...run } = await runChild([String(accounts), ...(onboard ? ["--onboard"] : [])]);
    points.push({ ...run, peakRssMb: peakRssKb / 1024, resourcesPerAccount: run.resources / accounts });
  }
  const largestStackFlat = new Set(points.map((p) => p.largestStack.resources)).size === 1;
  const last = points[points.length - 1];
  const changes = points.filter((p) => p.onboarding).map((p) =>
    `${p.accounts}: ${p.onboarding!.reduce((n, s) => n + s.added + s.removed + s.changed.length, 0)}`);
  const comment =
    `Largest stack: ${last.largestStack.stack} (${last.largestStack.kind}) with ${last.largestStack.resources} resources at ${last.accounts} accounts` +
    ` (${largestStackFlat ? "the same at every N: flat" : `sizes ${points.map((p) => p.largestStack.resources).join(", ")}: not flat`}); ` +
    `${last.perKind["hub-account"]?.largest ?? 0} resources per account hub stack and ${last.perKind.workload?.largest ?? 0} per workload stack. ` +
    `Shared resources changed when one account is added (by N): ${changes.join(", ") || "not measured"}.`;
  return { points, largestStackFlat, comment };
}
