/**
 * The folder a plan owns: `<out>/<env>/`. A successful plan replaces it whole (a stack
 * removed from the config leaves no folder behind); a failed plan replaces it with a
 * `plan.json` that says it failed, keeping the last successful plan in `last-successful/`
 * for the next comparison, so nothing there looks current. Writes go to a sibling folder
 * first and are swapped in, so an interrupted run never leaves half a plan.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join } from "path";

export const PLAN_FILE = "plan.json";
export const PLAN_MARKDOWN_FILE = "plan.md";
export const LAST_SUCCESSFUL_DIR = "last-successful";
const STACK_FILE = "resources.json";

export type PlanStatus = "succeeded" | "failed";

/** What a plan folder's `plan.json` always says, whatever its status. */
export interface PlanFolderHeader {
  format: string;
  environment: string;
  status: PlanStatus;
  error?: string;
}

export function readPlanHeader(dir: string): PlanFolderHeader | undefined {
  const file = join(dir, PLAN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PlanFolderHeader;
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Stack folders of a plan folder: subfolders with a resources.json. */
export function stackFolders(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, STACK_FILE))).sort();
}

/**
 * Whether `dir` may be replaced: it is absent or empty, or holds only what a plan writes
 * (plan.json, plan.md, stack folders, last-successful/, or one stack of the older
 * `out/<stack>/` layout). Anything else is the operator's, and is never deleted.
 */
export function isReplaceable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!isDirectory(dir)) return false;
  const entries = readdirSync(dir);
  const olderLayoutStack = entries.includes(STACK_FILE);
  return entries.every((name) =>
    name === PLAN_FILE || name === PLAN_MARKDOWN_FILE || name === LAST_SUCCESSFUL_DIR ||
    existsSync(join(dir, name, STACK_FILE)) ||
    (olderLayoutStack && ["resources.json", "outputs.json", "artifacts"].includes(name)));
}

export function assertReplaceable(dir: string): void {
  if (!isReplaceable(dir)) {
    throw new Error(`${dir} exists and holds files a plan did not write; the plan replaces its folder whole, so choose another --out or move them away`);
  }
}

function scratchBeside(dir: string, purpose: string): string {
  const scratch = join(dirname(dir), `.${basename(dir)}.${purpose}-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  return scratch;
}

/** Scratch folders of runs that were interrupted before they could swap theirs in. */
function removeAbandonedScratch(dir: string): void {
  const parent = dirname(dir);
  if (!isDirectory(parent)) return;
  const prefix = `.${basename(dir)}.`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Stacks of the environment written by the older layout (`out/<env>-<account>/` beside
 * `out/<env>/`): they would look like current results, so the plan that now owns `out/<env>/`
 * removes them.
 */
function removeOlderLayoutStacks(dir: string, environment: string): void {
  const parent = dirname(dir);
  if (!isDirectory(parent)) return;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(`${environment}-`)) continue;
    const file = join(parent, name, STACK_FILE);
    if (!existsSync(file) || !isReplaceable(join(parent, name))) continue;
    try {
      if ((JSON.parse(readFileSync(file, "utf8")) as { environment?: string }).environment === environment) rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Not a plan's resources file: not ours to remove.
    }
  }
}

/** Replaces `dir` with what `fill` writes into a fresh folder. */
export function replacePlanFolder(dir: string, environment: string, fill: (folder: string) => void): void {
  assertReplaceable(dir);
  removeAbandonedScratch(dir);
  const scratch = scratchBeside(dir, "writing");
  try {
    fill(scratch);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  removeOlderLayoutStacks(dir, environment);
}

/**
 * Records a failed plan: `plan.json` and `plan.md` say it failed and why; the stacks of the
 * last successful plan move to `last-successful/` (only a comparison base, never evaluated).
 */
export function markPlanFailed(dir: string, environment: string, files: Record<string, string>): void {
  if (!isReplaceable(dir)) return;
  removeAbandonedScratch(dir);
  const scratch = scratchBeside(dir, "failing");
  const header = readPlanHeader(dir);
  const lastSuccessful = header?.status === "failed" ? join(dir, LAST_SUCCESSFUL_DIR) : dir;
  if (stackFolders(lastSuccessful).length > 0) renameSync(lastSuccessful, join(scratch, LAST_SUCCESSFUL_DIR));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(scratch, name), content);
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  removeOlderLayoutStacks(dir, environment);
}

/** The folder whose stacks the next plan compares itself with. */
export function comparisonBase(dir: string): string | undefined {
  const base = readPlanHeader(dir)?.status === "failed" ? join(dir, LAST_SUCCESSFUL_DIR) : dir;
  return stackFolders(base).length > 0 ? base : undefined;
}
