/**
 * The one program of this project. A stack whose config names `observability:hubStack` is
 * a workload stack; any other stack is the hub stack of an environment. Config is read and
 * validated here, before any resource is declared; components never read config.
 */
import * as pulumi from "@pulumi/pulumi";
import { readAllRawConfig, hasConfig } from "./config/read";
import { validateHubConfig, validateWorkloadStackConfig } from "./config/validate";
import { hubProgram } from "./hub";
import { workloadProgram } from "./workload";

export async function runStack(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  if (hasConfig("hubStack")) {
    return workloadProgram(stack, validateWorkloadStackConfig(stack, readAllRawConfig()));
  }
  return hubProgram(validateHubConfig(stack, readAllRawConfig()));
}
