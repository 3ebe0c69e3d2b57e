/**
 * A StackEngine that records every call, counts operations in flight, and can hold each
 * operation open until the test releases it, so ordering and the concurrency bound are
 * observed directly rather than inferred from timing. Stacks (config, tags, update
 * history, outputs) live in a FakeBackend that several engines, i.e. several runs, can share.
 */
import { OperationOptions, OperationResult, PolicyPackRun, PrepareOptions, StackEngine, StackHandle, noChanges, noViolations } from "../../stacks/automation/engine";

export type FakeCall =
  | { kind: "select"; stack: string; config?: Record<string, unknown> }
  | { kind: "preview" | "up"; stack: string; policyPacks: PolicyPackRun[] }
  | { kind: "done"; stack: string }
  | { kind: "select-existing" | "destroy" | "remove"; stack: string };

export interface FakeBehaviour {
  /** Hold operations until `release` is called. */
  manual?: boolean;
  /** Outcome per stack; default: success with no changes. */
  outcome?: (stack: string) => Partial<OperationResult>;
  /** Stacks whose selection throws. */
  failSelect?: string[];
  /** Output chunks an operation emits before finishing. */
  output?: (stack: string) => string[];
  /** Outputs an `up` of the stack leaves behind; default none. */
  outputs?: (stack: string) => Record<string, unknown>;
  /** Stacks whose tags cannot be written (a backend without stack tags). */
  failSetTag?: string[];
  /** Stacks whose destroy fails. */
  failDestroy?: string[];
}

export interface FakeStack {
  config: Record<string, unknown>;
  tags: Record<string, string>;
  /** Number of updates in the stack's history. */
  updates: number;
  outputs: Record<string, unknown>;
  /** Resources the stack holds (a destroy deletes them). */
  resources: number;
}

/** The backend's stacks, by name. */
export class FakeBackend {
  readonly stacks = new Map<string, FakeStack>();

  stack(name: string): FakeStack {
    let stack = this.stacks.get(name);
    if (stack === undefined) {
      stack = { config: {}, tags: {}, updates: 0, outputs: {}, resources: 0 };
      this.stacks.set(name, stack);
    }
    return stack;
  }
}

interface Pending {
  stack: string;
  release: () => void;
}

export class FakeEngine implements StackEngine {
  readonly calls: FakeCall[] = [];
  /** The lane each selection ran in, in order. */
  readonly lanes: { stack: string; lane: number }[] = [];
  /** Operations in flight per lane. */
  private readonly running = new Map<number, string[]>();
  /** Set when two stacks' operations ever overlapped in one lane. */
  laneConflict: string | undefined;
  prepared: PrepareOptions[] = [];
  disposed = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly pending: Pending[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly behaviour: FakeBehaviour = {}, readonly backend = new FakeBackend()) {}

  async prepare(options: PrepareOptions): Promise<void> {
    this.prepared.push(options);
  }

  async dispose(): Promise<void> {
    this.disposed++;
  }

  async selectOrCreate(stackName: string, config?: Record<string, unknown>, lane = 0): Promise<StackHandle> {
    this.calls.push({ kind: "select", stack: stackName, ...(config === undefined ? {} : { config }) });
    this.lanes.push({ stack: stackName, lane });
    if (this.behaviour.failSelect?.includes(stackName)) throw new Error(`cannot select ${stackName}`);
    const stack = this.backend.stack(stackName);
    if (config !== undefined) Object.assign(stack.config, config);
    return this.handle(stackName, lane);
  }

  async selectExisting(stackName: string, lane = 0): Promise<StackHandle | undefined> {
    this.calls.push({ kind: "select-existing", stack: stackName });
    return this.backend.stacks.has(stackName) ? this.handle(stackName, lane) : undefined;
  }

  async removeStack(stackName: string): Promise<void> {
    this.calls.push({ kind: "remove", stack: stackName });
    const stack = this.backend.stacks.get(stackName);
    if (stack === undefined) throw new Error(`no stack named '${stackName}' found`);
    // As the CLI: a stack that still holds resources is not removed.
    if (stack.resources > 0) throw new Error(`'${stackName}' still has resources; removal rejected`);
    this.backend.stacks.delete(stackName);
  }

  private handle(stackName: string, lane: number): StackHandle {
    const stack = this.backend.stack(stackName);
    const handle: StackHandle = {
      name: stackName,
      preview: (options) => this.operate("preview", stackName, lane, options),
      up: (options) => this.operate("up", stackName, lane, options),
      config: async () => JSON.parse(JSON.stringify(stack.config)),
      outputs: async () => ({ ...stack.outputs }),
      lastUpdate: async () => (stack.updates === 0 ? undefined : String(stack.updates)),
      getTag: async (key) => stack.tags[key],
      setTag: async (key, value) => {
        if (this.behaviour.failSetTag?.includes(stackName)) throw new Error("error: stack tags not supported in diy mode");
        stack.tags[key] = value;
      },
      destroy: async () => {
        this.calls.push({ kind: "destroy", stack: stackName });
        if (this.behaviour.failDestroy?.includes(stackName)) return { ok: false, changes: noChanges(), policyViolations: noViolations(), error: "error: destroy failed" };
        const deleted = stack.resources;
        stack.resources = 0;
        stack.updates++;
        return { ok: true, changes: { ...noChanges(), delete: deleted }, policyViolations: noViolations(), update: String(stack.updates) };
      },
    };
    return handle;
  }

  /** Resolves once at least `count` operations are held open. */
  waitForPending(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.notify();
    });
  }

  /** Lets the oldest held operation finish. */
  releaseOldest(): string {
    const next = this.pending.shift();
    if (next === undefined) throw new Error("no operation is pending");
    next.release();
    return next.stack;
  }

  stacksCalled(kind: FakeCall["kind"]): string[] {
    return this.calls.filter((c) => c.kind === kind).map((c) => c.stack);
  }

  private notify(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (this.pending.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  private async operate(kind: "preview" | "up", stackName: string, lane: number, options: OperationOptions): Promise<OperationResult> {
    this.calls.push({ kind, stack: stackName, policyPacks: options.policyPacks });
    const inLane = this.running.get(lane) ?? [];
    if (inLane.length > 0) this.laneConflict ??= `${stackName} ran in lane ${lane} while ${inLane.join(", ")} ran there`;
    this.running.set(lane, [...inLane, stackName]);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for (const chunk of this.behaviour.output?.(stackName) ?? []) options.onOutput(chunk);
      if (this.behaviour.manual) {
        await new Promise<void>((release) => {
          this.pending.push({ stack: stackName, release });
          this.notify();
        });
      }
      const result: OperationResult = { ok: true, changes: noChanges(), policyViolations: noViolations(), ...this.behaviour.outcome?.(stackName) };
      if (kind === "up") {
        const stack = this.backend.stack(stackName);
        stack.updates++; // a failed update is in the history too
        if (result.ok) {
          stack.outputs = this.behaviour.outputs?.(stackName) ?? {};
          stack.resources = Math.max(1, result.changes.create + result.changes.same + result.changes.update + result.changes.replace);
          return { ...result, update: String(stack.updates), outputs: { ...stack.outputs } };
        }
      }
      return result;
    } finally {
      this.running.set(lane, (this.running.get(lane) ?? []).filter((name) => name !== stackName));
      this.inFlight--;
      this.calls.push({ kind: "done", stack: stackName });
    }
  }
}
