/**
 * The hub's per-account and query stacks (`<env>-hub-<account>`, `<env>-query`) when the
 * shared hub is self-hosted. The per-account stack hands the account's record from the shared
 * hub on to the account's workload stack, which reads it there as with the managed backend; the
 * query stack has nothing to build (no Promxy: the self-hosted Grafana's "All accounts" data
 * source is served by the hub's own proxy). Neither declares a resource yet.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { CONFIG_NAMESPACE, WorkloadStackConfig } from "./config/schema";
import { WORKLOADS_OUTPUT, hubAccountStackName, hubQueryStackName } from "./contract";
import { SelfHostedWorkloadStackRecord } from "./self-hosted-contract";

/** The shared hub stack's `backend` output (the managed hub has none). */
export const BACKEND_OUTPUT = "backend";

export async function isSelfHostedHub(shared: pulumi.StackReference): Promise<boolean> {
  return (await shared.getOutputDetails(BACKEND_OUTPUT)).value === "self-hosted";
}

export async function selfHostedHubPartProgram(stack: string, config: WorkloadStackConfig, shared: pulumi.StackReference) {
  const details = await shared.getOutputDetails(WORKLOADS_OUTPUT);
  const records = (details.value ?? details.secretValue) as Record<string, SelfHostedWorkloadStackRecord> | undefined;
  const environment = Object.values(records ?? {})[0]?.environment ?? config.hubStack.split("/").pop()!;
  const expected = config.hubPart === "query" ? hubQueryStackName(environment) : hubAccountStackName(environment, config.accountName);
  if (stack.split("/").pop() !== expected) {
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:hubPart`, `this ${config.hubPart} stack of environment "${environment}" must be named "${expected}"`,
      `run it as 'pulumi up -s ${expected}', or fix ${CONFIG_NAMESPACE}:accountName / ${CONFIG_NAMESPACE}:hubStack`);
  }
  if (config.hubPart === "query") return { backend: "self-hosted" };
  const record = records?.[config.accountName];
  if (record === undefined) {
    const known = Object.keys(records ?? {}).sort().join(", ") || "none";
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:accountName`,
      `account "${config.accountName}" is not in the organisation model of self-hosted hub stack "${config.hubStack}" (accounts: ${known})`,
      `add it to the workloads of Pulumi.${environment}.yaml and update the shared hub stack first, or remove this stack`);
  }
  return { backend: "self-hosted", accountName: record.accountName, [WORKLOADS_OUTPUT]: { [record.accountName]: record } };
}
