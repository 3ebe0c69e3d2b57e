/**
 * Runs one stack of this program (or, for tests, any program function) in-process under
 * Pulumi's mock runtime and records every resource registration as the engine would see it:
 * type, name, parent, provider, inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { runStack } from "../index";
import { PlanMocks, PlannedCloud, SECRET_OUTPUT } from "./mocks";
import { disabledDefaultProviders, providerRuleViolation } from "./provider-rules";

export const PROJECT = "aws-multi-account-observability";

/** The SDK's own "drain outstanding RPCs" step before disconnecting; not in its public typings. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

export interface ResourceRecord {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string | null;
  provider: string | null;
  /** Account the resource's provider deploys into (null for components and non-AWS resources). */
  accountId: string | null;
  /** Remote components only: the provider of each package it was given (package -> provider URN). */
  providers?: Record<string, string>;
  inputs: Record<string, unknown>;
}

export interface InvokeRecord {
  token: string;
  /** Provider the invoke named (`<provider urn>`), null when it named none. */
  provider: string | null;
}

export interface StackRun {
  stack: string;
  outputs: Record<string, unknown>;
  resources: ResourceRecord[];
  /** Data-source calls (invokes) the program made, in order. */
  invokes: InvokeRecord[];
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_MARKER = "[secret]";
export const UNKNOWN_MARKER = "<unknown>";

/**
 * Secrets become a marker so no plan file can leak one; unknowns are said to be unknown.
 * Revealed (tests only), a secret becomes `{ "[secret]": value }`: still marked as secret.
 */
function redact(value: unknown, reveal: boolean): unknown {
  if (value === undefined) return UNKNOWN_MARKER;
  if (Array.isArray(value)) return value.map((item) => redact(item, reveal));
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] !== undefined) return reveal ? { [SECRET_MARKER]: redact(record.value, reveal) } : SECRET_MARKER;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(v, reveal)]));
  }
  return value;
}

/** Provider reference without its trailing `::<id>`: the provider's URN. */
function providerUrn(ref: string): string {
  return ref.split("::").slice(0, -1).join("::");
}

type StructLike = Parameters<typeof deserializeProperties>[0];

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getRemote?(): boolean;
  getProvidersMap?(): { toObject(): Array<[string, string]> };
}

/** A stack program that failed, with what it had declared before failing. */
export class StackRunError extends Error {
  constructor(readonly stack: string, readonly cause: unknown, readonly declared: ResourceRecord[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "StackRunError";
  }
}

export interface ProgramRunOptions {
  stack: string;
  /** Config, `namespace:key` -> value (objects are passed as JSON); `pulumi:disable-default-providers` turns on the provider rule. */
  config?: Record<string, unknown>;
  referencedStacks?: Record<string, Record<string, unknown>>;
  /** Account/region used for resources with no AWS provider (none should exist). */
  fallbackTarget: { accountId: string; region: string };
  /** Tests only: record secret inputs as `{ "[secret]": value }` instead of the bare marker. */
  revealSecrets?: boolean;
  /** What the earlier stacks of the same plan created (shared by its runs). */
  cloud?: PlannedCloud;
}

export interface StackRunOptions extends ProgramRunOptions {
  /** Full config of the stack. */
  config: Record<string, unknown>;
}

/** A stack program: creates resources, returns the stack outputs (or nothing). */
export type StackProgram = () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export function runStackUnderMocks(options: StackRunOptions): Promise<StackRun> {
  return runProgramUnderMocks(runStack, options);
}

/**
 * Rejections nobody handles while a stack runs. An apply that throws for a resource's input
 * reaches no caller: the runtime re-raises it as an unhandled rejection on purpose, and the
 * engine's language host fails the program on it. Without this the plan would record the stack
 * without that resource and the error would surface later, outside any stack.
 */
function collectUnhandledRejections(): { errors: unknown[]; settle(): Promise<void>; stop(): void } {
  const errors: unknown[] = [];
  const listener = (reason: unknown) => errors.push(reason);
  process.on("unhandledRejection", listener);
  return {
    errors,
    // A failed registration is re-raised a turn after the RPCs are done: wait until a turn passes without a new one.
    async settle() {
      let seen = -1;
      while (seen !== errors.length) {
        seen = errors.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    stop: () => process.off("unhandledRejection", listener),
  };
}

const messageOfRejection = (reason: unknown): string => (reason instanceof Error ? reason.message : String(reason));

/**
 * Runs `program` as a whole stack under PlanMocks, with the same recording and the same
 * engine rules as the offline plan: tests of single components use this, not mocks of their own.
 */
export async function runProgramUnderMocks(program: StackProgram, options: ProgramRunOptions): Promise<StackRun> {
  const config = options.config ?? {};
  const disabledProviders = disabledDefaultProviders(config["pulumi:disable-default-providers"]);
  const mocks = new PlanMocks(options.referencedStacks ?? {}, options.fallbackTarget, disabledProviders, options.cloud);
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
  );

  const resources: ResourceRecord[] = [];
  const record = (req: MonitorRequest, urn: string, object: StructLike | undefined, custom: boolean) => {
    if (req.getType() === "pulumi:pulumi:Stack") return;
    const remote = req.getRemote?.() ?? false;
    const providers = Object.fromEntries(req.getProvidersMap?.().toObject() ?? []) as Record<string, string>;
    const violation = providerRuleViolation({ type: req.getType(), name: req.getName(), custom, remote, provider: req.getProvider() ?? "", providers },
      disabledProviders);
    if (violation) mocks.engineRefusals.push(violation);
    const provider = req.getProvider() || null;
    const target = provider ? mocks.targetOf(provider) : null;
    resources.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      custom,
      parent: req.getParent() || null,
      provider: provider ? providerUrn(provider) : null,
      accountId: target && (provider ?? "").includes("pulumi:providers:aws") ? target.accountId : null,
      ...(remote ? { providers: Object.fromEntries(Object.entries(providers).map(([pkg, ref]) => [pkg, providerUrn(ref)])) } : {}),
      inputs: redact(object ? deserializeProperties(object) : {}, options.revealSecrets ?? false) as Record<string, unknown>,
    });
  };
  type Callback = (err: unknown, resp: { getUrn(): string } | undefined) => void;
  const monitor = (pulumi.runtime as unknown as { getMonitor(): Record<"registerResource" | "readResource", Function> }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  monitor.registerResource = (req: MonitorRequest & { getObject(): StructLike | undefined; getCustom(): boolean }, callback: Callback) =>
    register(req, (err: unknown, resp: { getUrn(): string } | undefined) => {
      if (!err && resp) record(req, resp.getUrn(), req.getObject(), req.getCustom());
      callback(err, resp);
    });
  // Reads (a StackReference is one) are recorded too: they show where a stack's inputs come from.
  monitor.readResource = (req: MonitorRequest & { getProperties(): StructLike | undefined }, callback: Callback) =>
    read(req, (err: unknown, resp: { getUrn(): string } | undefined) => {
      if (!err && resp) record(req, resp.getUrn(), req.getProperties(), true);
      callback(err, resp);
    });

  let outputs: Record<string, unknown>;
  const secretOutputs: string[] = [];
  const rejections = collectUnhandledRejections();
  try {
    outputs = (await pulumi.runtime.runInPulumiStack(async () => {
      const declared = await program();
      for (const [key, value] of Object.entries(declared ?? {})) {
        if (pulumi.Output.isInstance(value) && await pulumi.isSecret(value)) secretOutputs.push(key);
      }
      return declared;
    })) as Record<string, unknown>;
    await waitForRPCs();
    await rejections.settle();
    if (rejections.errors.length > 0) {
      throw new Error(`the program of stack ${options.stack} failed (the Pulumi engine fails a program on an unhandled error):\n  - ${[...new Set(rejections.errors.map(messageOfRejection))].join("\n  - ")}`);
    }
    if (mocks.engineRefusals.length > 0) {
      throw new Error(`the Pulumi engine would refuse stack ${options.stack}:\n  - ${[...new Set(mocks.engineRefusals)].join("\n  - ")}`);
    }
    if (mocks.planRefusals.length > 0) {
      throw new Error(`the plan refuses stack ${options.stack}:\n  - ${[...new Set(mocks.planRefusals)].join("\n  - ")}`);
    }
  } catch (error) {
    throw new StackRunError(options.stack, error, resources);
  } finally {
    rejections.stop();
  }
  const invokes = mocks.invokes.map(({ token, provider }) => ({ token, provider: provider ? providerUrn(provider) : null }));
  // Stack outputs exported as secrets stay marked, as the engine keeps them: written
  // redacted, and read back as secrets by the StackReferences of later stacks.
  const marked = Object.fromEntries(Object.entries(outputs ?? {}).map(([key, value]) =>
    [key, secretOutputs.includes(key) ? { [SECRET_OUTPUT]: true, value } : value]));
  return { stack: options.stack, outputs: marked, resources, invokes };
}
