/**
 * The one program of this project. A stack whose config names `observability:hubStack` is
 * a workload stack, or, with `observability:hubPart`, one of the hub's own per-account or
 * query stacks; any other stack is the shared hub stack of an environment. Config is read
 * and validated here, before any resource is declared; components never read config.
 */
import * as pulumi from "@pulumi/pulumi";
import { readAllRawConfig, hasConfig } from "./config/read";
import { validateHubAccountStackConfig, validateHubConfig, validateWorkloadStackConfig } from "./config/validate";
import { hubProgram } from "./hub";
import { hubAccountProgram } from "./hub-account";
import { hubQueryProgram } from "./hub-query";
import { workloadProgram } from "./workload";

export async function runStack(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  if (hasConfig("hubStack")) {
    const raw = readAllRawConfig();
    if (raw.hubPart === "account") return hubAccountProgram(stack, validateHubAccountStackConfig(stack, raw));
    const config = validateWorkloadStackConfig(stack, raw);
    if (config.hubPart === "query") return hubQueryProgram(stack, config);
    return workloadProgram(stack, config);
  }
  return hubProgram(validateHubConfig(stack, readAllRawConfig()));
}
