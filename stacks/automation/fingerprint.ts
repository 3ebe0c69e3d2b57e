/**
 * Resumable runs: what a stack was last deployed from, recorded with the stack itself.
 *
 * After a successful `up` the driver records a fingerprint of the stack's inputs as the
 * stack tag `observability:deployed-inputs`; the next update run recomputes it and skips
 * the stack when both still agree. A stack tag rather than a state file next to the
 * project: the tag lives in the backend with the stack, so every CI runner (fresh
 * checkout, no cache) and every engineer sees the same record, and it cannot drift from
 * the state it describes the way a file in one runner's working copy would.
 *
 * The fingerprint is a SHA-256 over (see `stackFingerprint`):
 * - the stack's effective config as the CLI resolves it (`pulumi config --json
 *   --show-secrets`: the stack file, keys the driver set, secrets decrypted; only the hash
 *   leaves the process);
 * - the program: Pulumi.yaml, package.json, package-lock.json (pins every SDK and provider
 *   version), tsconfig.json and every file under stacks/ and components/ except the driver
 *   itself (stacks/automation never runs inside the program);
 * - each policy pack's files and its reviewed config (a changed rule or exception must be
 *   re-evaluated against the stack);
 * - what the stack reads from elsewhere: for a workload stack, its own record in the hub's
 *   `workloads` output (exactly what the workload program reads, so a change to one
 *   account re-runs that account only); for the hub, the Grafana token's rotation window
 *   (the hub program is time-dependent: the first update of each window replaces the token).
 *
 * The record also names the update it came from (version and start time in the stack's
 * history). If anything else updated the stack since (a manual `pulumi up`, a refresh, a
 * failed run), the record no longer describes the stack and the stack runs again.
 *
 * Not covered (a periodic `--force` run catches them): drift made outside Pulumi, values
 * the program reads at run time from outside (data sources such as the latest AMI,
 * Pulumi ESC environments' contents), and the Pulumi CLI's own version.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "fs";
import { join, relative, sep } from "path";
import { PolicyPackRun } from "./engine";

/** Stack tag names: at most 40 of `[a-zA-Z0-9-_.:]`. */
export const FINGERPRINT_TAG = "observability:deployed-inputs";

/** Part of every record: bump it when what goes into a fingerprint changes, so older records never match. */
export const FINGERPRINT_FORMAT = "1";

/** Project paths the program is made of (files or directories). */
export const PROGRAM_SOURCES = ["Pulumi.yaml", "package.json", "package-lock.json", "tsconfig.json", "stacks", "components"];

/** Project paths under PROGRAM_SOURCES that are not the program: the deploy driver. */
export const NOT_PROGRAM = ["stacks/automation"];

const SKIPPED_NAMES = new Set(["node_modules", ".git"]);

/** JSON with object keys sorted at every level, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    return Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]));
  }) ?? "null";
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

function slash(path: string): string {
  return path.split(sep).join("/");
}

/** Every file under `path` (or `path` itself), as project-relative path -> content hash. */
function collectFiles(root: string, path: string, excluded: Set<string>, into: Record<string, string>): void {
  const rel = slash(relative(root, path));
  if (excluded.has(rel)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (SKIPPED_NAMES.has(name) || name.endsWith(".md")) continue;
      collectFiles(root, join(path, name), excluded, into);
    }
  } else if (stat.isFile()) {
    into[rel] = sha256(readFileSync(path));
  }
}

/**
 * Hash of every file under the listed paths of `root` (path and content), skipping
 * `excluded`, node_modules and Markdown. A path that does not exist contributes nothing.
 */
export function treeDigest(root: string, paths: string[], excluded: string[] = []): string {
  const files: Record<string, string> = {};
  for (const path of paths) {
    const full = join(root, path);
    if (existsSync(full)) collectFiles(root, full, new Set(excluded), files);
  }
  return sha256(canonicalJson(files));
}

/**
 * The part of every stack's fingerprint that is the same for all stacks of a run: the
 * program and the policy packs with their configs. Computed once per run.
 */
export function sourcesDigest(projectDir: string, policyPacks: PolicyPackRun[]): string {
  return sha256(canonicalJson({
    program: treeDigest(projectDir, PROGRAM_SOURCES, NOT_PROGRAM),
    policyPacks: policyPacks.map((pack) => ({
      pack: treeDigest(pack.dir, ["."]),
      config: existsSync(pack.configFile) ? sha256(readFileSync(pack.configFile)) : null,
    })),
  }));
}

export interface FingerprintParts {
  /** The stack's name as the backend knows it. */
  stack: string;
  /** Its effective config (`StackHandle.config()`). */
  config: Record<string, unknown>;
  /** Everything else it is deployed from: sources digest, values read from the hub, ... */
  inputs: unknown;
}

export function stackFingerprint(parts: FingerprintParts): string {
  return sha256(canonicalJson({ format: FINGERPRINT_FORMAT, ...parts }));
}

export interface FingerprintRecord {
  fingerprint: string;
  /** The update the fingerprint was recorded for (`StackHandle.lastUpdate()`). */
  update: string;
}

/** `<format>:<sha256>:<update>`: well within a tag value's 256 characters. */
export function encodeRecord(record: FingerprintRecord): string {
  return `${FINGERPRINT_FORMAT}:${record.fingerprint}:${record.update}`;
}

/** The record in a tag value, or undefined for no tag, another format, or anything unreadable. */
export function decodeRecord(value: string | undefined): FingerprintRecord | undefined {
  const match = /^([^:]+):([0-9a-f]{64}):(.+)$/.exec(value?.trim() ?? "");
  if (match === null || match[1] !== FINGERPRINT_FORMAT) return undefined;
  return { fingerprint: match[2], update: match[3] };
}

/**
 * Whether a stack is up to date: its tag records this fingerprint, for the update that is
 * still the latest in its history.
 */
export function isUpToDate(fingerprint: string, tag: string | undefined, lastUpdate: string | undefined): boolean {
  const record = decodeRecord(tag);
  return record !== undefined && lastUpdate !== undefined && record.fingerprint === fingerprint && record.update === lastUpdate;
}
