/**
 * Runs one stack of this program in-process under Pulumi's mock runtime and records every
 * resource registration as the engine would see it: type, name, parent, provider, inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { runStack } from "../index";
import { PlanMocks } from "./mocks";
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

export interface StackRun {
  stack: string;
  outputs: Record<string, unknown>;
  resources: ResourceRecord[];
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_MARKER = "[secret]";
export const UNKNOWN_MARKER = "<unknown>";

/** Secrets become a marker so no plan file can leak one; unknowns are said to be unknown. */
function redact(value: unknown): unknown {
  if (value === undefined) return UNKNOWN_MARKER;
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] !== undefined) return SECRET_MARKER;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(v)]));
  }
  return value;
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

export interface StackRunOptions {
  stack: string;
  /** Full config of the stack, `namespace:key` -> value (objects are passed as JSON). */
  config: Record<string, unknown>;
  referencedStacks?: Record<string, Record<string, unknown>>;
  /** Account/region used for resources with no AWS provider (none should exist). */
  fallbackTarget: { accountId: string; region: string };
}

export async function runStackUnderMocks(options: StackRunOptions): Promise<StackRun> {
  const disabledProviders = disabledDefaultProviders(options.config["pulumi:disable-default-providers"]);
  const mocks = new PlanMocks(options.referencedStacks ?? {}, options.fallbackTarget, disabledProviders);
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(options.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
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
      provider: provider ? provider.split("::").slice(0, -1).join("::") : null,
      accountId: target && (provider ?? "").includes("pulumi:providers:aws") ? target.accountId : null,
      ...(remote ? { providers: Object.fromEntries(Object.entries(providers).map(([pkg, ref]) => [pkg, ref.split("::").slice(0, -1).join("::")])) } : {}),
      inputs: redact(object ? deserializeProperties(object) : {}) as Record<string, unknown>,
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
  try {
    outputs = (await pulumi.runtime.runInPulumiStack(runStack)) as Record<string, unknown>;
    await waitForRPCs();
    if (mocks.engineRefusals.length > 0) {
      throw new Error(`the Pulumi engine would refuse stack ${options.stack}:\n  - ${[...new Set(mocks.engineRefusals)].join("\n  - ")}`);
    }
  } catch (error) {
    throw new StackRunError(options.stack, error, resources);
  }
  return { stack: options.stack, outputs: (outputs ?? {}) as Record<string, unknown>, resources };
}
