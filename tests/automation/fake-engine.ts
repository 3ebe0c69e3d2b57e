/**
 * A StackEngine that records every call, counts operations in flight, and can hold each
 * operation open until the test releases it, so ordering and the concurrency bound are
 * observed directly rather than inferred from timing.
 */
import { OperationOptions, OperationResult, PolicyPackRun, StackEngine, StackHandle, noChanges, noViolations } from "../../stacks/automation/engine";

export type FakeCall =
  | { kind: "select"; stack: string; config?: Record<string, unknown> }
  | { kind: "preview" | "up"; stack: string; policyPacks: PolicyPackRun[] }
  | { kind: "done"; stack: string };

export interface FakeBehaviour {
  /** Hold operations until `release` is called. */
  manual?: boolean;
  /** Outcome per stack; default: success with no changes. */
  outcome?: (stack: string) => Partial<OperationResult>;
  /** Stacks whose selection throws. */
  failSelect?: string[];
  /** Output chunks an operation emits before finishing. */
  output?: (stack: string) => string[];
}

interface Pending {
  stack: string;
  release: () => void;
}

export class FakeEngine implements StackEngine {
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly pending: Pending[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly behaviour: FakeBehaviour = {}) {}

  async selectOrCreate(stackName: string, config?: Record<string, unknown>): Promise<StackHandle> {
    this.calls.push({ kind: "select", stack: stackName, ...(config === undefined ? {} : { config }) });
    if (this.behaviour.failSelect?.includes(stackName)) throw new Error(`cannot select ${stackName}`);
    return {
      name: stackName,
      preview: (options) => this.operate("preview", stackName, options),
      up: (options) => this.operate("up", stackName, options),
    };
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

  private async operate(kind: "preview" | "up", stack: string, options: OperationOptions): Promise<OperationResult> {
    this.calls.push({ kind, stack, policyPacks: options.policyPacks });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for (const chunk of this.behaviour.output?.(stack) ?? []) options.onOutput(chunk);
      if (this.behaviour.manual) {
        await new Promise<void>((release) => {
          this.pending.push({ stack, release });
          this.notify();
        });
      }
      return { ok: true, changes: noChanges(), policyViolations: noViolations(), ...this.behaviour.outcome?.(stack) };
    } finally {
      this.inFlight--;
      this.calls.push({ kind: "done", stack });
    }
  }
}
