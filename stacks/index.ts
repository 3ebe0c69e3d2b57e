/**
 * The one program of this project. A stack whose config names `observability:hubStack` is
 * a workload stack, or, with `observability:hubPart`, one of the hub's own per-account or
 * query stacks; any other stack is the shared hub stack of an environment
 * (managed, or self-hosted as its `hub.backend` says). Config is read
 * and validated here, before any resource is declared; components never read config.
 */
import * as pulumi from "@pulumi/pulumi";
import { readAllRawConfig, hasConfig } from "./config/read";
import { validateHubAccountStackConfig, validateHubConfig, validateWorkloadStackConfig } from "./config/validate";
import { hubProgram } from "./hub";
import { hubAccountProgram } from "./hub-account";
import { hubQueryProgram } from "./hub-query";
import { sharedHubReference } from "./hub-settings";
import { selfHostedHubProgram } from "./self-hosted-hub";
import { isSelfHostedHub, selfHostedHubPartProgram } from "./self-hosted-hub-part";
import { workloadProgram } from "./workload";

export async function runStack(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  if (hasConfig("hubStack")) {
    const raw = readAllRawConfig();
    const config = validateWorkloadStackConfig(stack, raw);
    if (config.hubPart !== undefined) {
      const shared = sharedHubReference(config);
      if (await isSelfHostedHub(shared)) return selfHostedHubPartProgram(stack, config, shared, raw);
      if (config.hubPart === "account") return hubAccountProgram(stack, validateHubAccountStackConfig(stack, raw), shared);
      return hubQueryProgram(stack, config, shared);
    }
    return workloadProgram(stack, config);
  }
  const hubConfig = validateHubConfig(stack, readAllRawConfig());
  return hubConfig.hub.backend === "self-hosted" ? selfHostedHubProgram(hubConfig) : hubProgram(hubConfig);
}
