/**
 * How the hub's own per-account and query stacks read the shared hub stack: its
 * `hubSettings` output and the Grafana automation token, checked against the stack's name
 * and account before anything is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./config/errors";
import { CONFIG_NAMESPACE, WorkloadStackConfig } from "./config/schema";
import { GRAFANA_TOKEN_OUTPUT, HUB_SETTINGS_OUTPUT, HubSettings, hubAccountStackName, hubQueryStackName } from "./contract";

export interface SharedHub {
  settings: HubSettings;
  grafanaToken: pulumi.Output<string>;
}

function lastPart(stackName: string): string {
  return stackName.split("/").pop()!;
}

/** The shared hub stack, as the hub's per-account and query stacks read it (one reference per stack). */
export function sharedHubReference(config: WorkloadStackConfig): pulumi.StackReference {
  return new pulumi.StackReference("hub", { name: config.hubStack });
}

export async function readHubSettings(stack: string, config: WorkloadStackConfig, shared = sharedHubReference(config)): Promise<SharedHub> {
  const hubStackKey = `${CONFIG_NAMESPACE}:hubStack`;
  const details = await shared.getOutputDetails(HUB_SETTINGS_OUTPUT);
  const settings = (details.value ?? details.secretValue) as HubSettings | undefined;
  if (settings === undefined) {
    throw new ConfigError(stack, hubStackKey, `hub stack "${config.hubStack}" has no "${HUB_SETTINGS_OUTPUT}" output`,
      `deploy the shared hub stack first (pulumi up -s ${config.hubStack}), or point ${hubStackKey} at it`);
  }
  const expected = config.hubPart === "query"
    ? hubQueryStackName(settings.environment)
    : hubAccountStackName(settings.environment, config.accountName);
  if (config.hubPart === "account" && !settings.accountNames.includes(config.accountName)) {
    const known = [...settings.accountNames].sort().join(", ") || "none";
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:accountName`,
      `account "${config.accountName}" is not in the organisation model of hub stack "${config.hubStack}" (accounts: ${known})`,
      `add it to the workloads of Pulumi.${settings.environment}.yaml and update the shared hub stack first, or remove this stack (pulumi destroy, then pulumi stack rm)`);
  }
  if (lastPart(stack) !== expected) {
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:hubPart`,
      `this ${config.hubPart} stack of environment "${settings.environment}" must be named "${expected}"`,
      `run it as 'pulumi up -s ${expected}', or fix ${CONFIG_NAMESPACE}:accountName / ${hubStackKey}`);
  }
  return { settings, grafanaToken: shared.requireOutput(GRAFANA_TOKEN_OUTPUT) as pulumi.Output<string> };
}
