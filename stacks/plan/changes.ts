/**
 * What changed since the previous plan in the same folder, per stack: resources added,
 * removed and changed, with the input keys that changed. Resources are matched by URN, as
 * the engine matches them; inputs are compared as values (key order does not count).
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { comparisonBase, stackFolders } from "./output-folder";
import { ResourceRecord } from "./run-stack";

export interface ResourceChange {
  type: string;
  name: string;
  /** Top-level input keys whose value changed; `(provider)` / `(parent)` when those moved. */
  keys: string[];
}

export interface StackChanges {
  stack: string;
  status: "added" | "removed" | "changed" | "unchanged";
  added: Array<{ type: string; name: string }>;
  removed: Array<{ type: string; name: string }>;
  changed: ResourceChange[];
}

export interface PlanChanges {
  /** False when the folder held no earlier plan to compare with. */
  compared: boolean;
  stacks: StackChanges[];
}

/** The resources of each stack of the plan the folder held before this run. */
export type PreviousPlan = Map<string, ResourceRecord[]>;

export function readPreviousPlan(planDir: string): PreviousPlan | undefined {
  const base = comparisonBase(planDir);
  if (base === undefined) return undefined;
  const previous: PreviousPlan = new Map();
  for (const stack of stackFolders(base)) {
    const file = join(base, stack, "resources.json");
    if (!existsSync(file)) continue;
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as { stack?: string; resources?: ResourceRecord[] };
      previous.set(parsed.stack ?? stack, parsed.resources ?? []);
    } catch {
      // An unreadable file is no basis for a comparison; that stack shows as added.
    }
  }
  return previous;
}

/** JSON with object keys sorted, so equal values compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function changedKeys(before: ResourceRecord, after: ResourceRecord): string[] {
  const keys = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
  const changed = keys.filter((k) => canonical(before.inputs[k]) !== canonical(after.inputs[k]));
  if (before.provider !== after.provider) changed.push("(provider)");
  if (before.parent !== after.parent) changed.push("(parent)");
  return changed;
}

const brief = (r: ResourceRecord) => ({ type: r.type, name: r.name });

export function compareStacks(stack: string, before: ResourceRecord[] | undefined, after: ResourceRecord[] | undefined): StackChanges {
  const previous = new Map((before ?? []).map((r) => [r.urn, r]));
  const current = new Map((after ?? []).map((r) => [r.urn, r]));
  const added = [...current.values()].filter((r) => !previous.has(r.urn)).map(brief);
  const removed = [...previous.values()].filter((r) => !current.has(r.urn)).map(brief);
  const changed = [...current.values()]
    .filter((r) => previous.has(r.urn))
    .map((r) => ({ ...brief(r), keys: changedKeys(previous.get(r.urn)!, r) }))
    .filter((c) => c.keys.length > 0);
  const status = before === undefined ? "added" : after === undefined ? "removed" : added.length + removed.length + changed.length > 0 ? "changed" : "unchanged";
  return { stack, status, added, removed, changed };
}

export function compareWithPrevious(previous: PreviousPlan | undefined, stacks: Array<{ stack: string; resources: ResourceRecord[] }>): PlanChanges {
  if (previous === undefined) return { compared: false, stacks: [] };
  const names = [...new Set([...stacks.map((s) => s.stack), ...previous.keys()])];
  const current = new Map(stacks.map((s) => [s.stack, s.resources]));
  return { compared: true, stacks: names.map((stack) => compareStacks(stack, previous.get(stack), current.get(stack))) };
}

/** Console and Markdown lines: one per stack, then one per changed resource. */
export function changeLines(changes: PlanChanges): string[] {
  if (!changes.compared) return ["no previous plan in this folder to compare with"];
  const lines: string[] = [];
  for (const s of changes.stacks) {
    if (s.status === "unchanged") {
      lines.push(`${s.stack}: no change`);
      continue;
    }
    if (s.status === "added" || s.status === "removed") {
      lines.push(`${s.stack}: stack ${s.status} (${s.status === "added" ? s.added.length : s.removed.length} resources)`);
      continue;
    }
    lines.push(`${s.stack}: ${s.added.length} added, ${s.removed.length} removed, ${s.changed.length} changed`);
    for (const r of s.added) lines.push(`  + ${r.type} ${r.name}`);
    for (const r of s.removed) lines.push(`  - ${r.type} ${r.name}`);
    for (const r of s.changed) lines.push(`  ~ ${r.type} ${r.name}: ${r.keys.join(", ")}`);
  }
  return lines;
}
