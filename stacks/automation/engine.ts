/**
 * What the deploy driver needs from Pulumi, and nothing more. The driver is written
 * against this interface so its ordering, concurrency bound and failure handling can be
 * exercised without a Pulumi CLI; `pulumi-engine.ts` implements it over the Automation API.
 */

/** The kinds of resource change the summary reports. */
export const CHANGE_KINDS = ["create", "update", "delete", "same", "replace"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export type ChangeCounts = Record<ChangeKind, number>;

/** Policy pack findings of one run: `mandatory` block the operation, `advisory` do not. */
export interface PolicyViolationCounts {
  mandatory: number;
  advisory: number;
}

/**
 * A policy pack and its config file, always passed together: the CLI pairs the n-th
 * `--policy-pack-config` with the n-th `--policy-pack`.
 */
export interface PolicyPackRun {
  /** Absolute path of the pack directory (holds PulumiPolicy.yaml). */
  dir: string;
  /** Absolute path of the pack's JSON config (enforcement levels, reviewed exceptions). */
  configFile: string;
}

export interface OperationOptions {
  /** The policy packs to enforce on this run, each with its config. */
  policyPacks: PolicyPackRun[];
  /** Engine output as it arrives, in arbitrary chunks (not necessarily whole lines). */
  onOutput: (text: string) => void;
}

export interface OperationResult {
  ok: boolean;
  changes: ChangeCounts;
  policyViolations: PolicyViolationCounts;
  /** Why the operation failed, in one line; set when `ok` is false. */
  error?: string;
  /** After a successful `up`: the update it made (see `StackHandle.lastUpdate`). */
  update?: string;
  /** After a successful `up`: the stack's outputs, secrets in plain text. */
  outputs?: Record<string, unknown>;
}

export interface StackHandle {
  readonly name: string;
  preview(options: OperationOptions): Promise<OperationResult>;
  up(options: OperationOptions): Promise<OperationResult>;
  /** The stack's effective config (key -> value and whether it is secret), secrets in plain text. */
  config(): Promise<Record<string, unknown>>;
  /** The stack's outputs, secrets in plain text. */
  outputs(): Promise<Record<string, unknown>>;
  /**
   * An identifier of the stack's latest update in the backend's history (any update,
   * whoever ran it), or undefined for a stack never updated.
   */
  lastUpdate(): Promise<string | undefined>;
  /** A stack tag, kept by the backend with the stack; undefined when not set. */
  getTag(key: string): Promise<string | undefined>;
  setTag(key: string, value: string): Promise<void>;
  /** Deletes every resource of the stack (`pulumi destroy`), with the providers its state records. */
  destroy(options: Pick<OperationOptions, "onOutput">): Promise<OperationResult>;
}

export interface PrepareOptions {
  /** The policy packs every preview and update will load. */
  policyPacks: PolicyPackRun[];
}

export interface StackEngine {
  /**
   * Once per run, before any stack: everything the stacks share (plugins, the policy
   * packs' runtime) is made ready here, so that concurrent stacks never install it at the
   * same time. Throws when the run cannot start.
   */
  prepare?(options: PrepareOptions): Promise<void>;
  /**
   * Selects the stack, creating it when it does not exist. With `config`, these keys are
   * set on the stack (values may be strings, lists or maps), replacing earlier values.
   * `lane` (0 when absent) is the concurrency slot the stack runs in: stacks in different
   * lanes may run at the same time, stacks in one lane never do.
   */
  selectOrCreate(stackName: string, config?: Record<string, unknown>, lane?: number): Promise<StackHandle>;
  /** Selects the stack if it exists; never creates one. */
  selectExisting(stackName: string, lane?: number): Promise<StackHandle | undefined>;
  /** Removes the stack and its (empty) state from the backend (`pulumi stack rm`). */
  removeStack(stackName: string, lane?: number): Promise<void>;
  /** Releases what the engine set up for the run (per-lane workspace state). */
  dispose?(): Promise<void>;
}

/** An engine or driver error in words: its message, or the thrown value itself. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function noChanges(): ChangeCounts {
  return { create: 0, update: 0, delete: 0, same: 0, replace: 0 };
}

export function noViolations(): PolicyViolationCounts {
  return { mandatory: 0, advisory: 0 };
}
