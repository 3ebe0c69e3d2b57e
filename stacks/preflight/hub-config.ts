/** The validated organisation model of a hub stack, from its stack file's `config:` keys. */
import { ownKeys } from "../config/read";
import { HubStackConfig } from "../config/schema";
import { validateHubConfig } from "../config/validate";
import { readStackConfig } from "../plan/stack-files";

/** `stackConfig` maps `namespace:key` to parsed values, as in `Pulumi.<stack>.yaml`. */
export function hubConfigOf(stack: string, stackConfig: Record<string, unknown>): HubStackConfig {
  return validateHubConfig(stack, ownKeys(stackConfig));
}

export function hubConfigOfEnvironment(projectDir: string, environment: string): HubStackConfig {
  return hubConfigOf(environment, readStackConfig(projectDir, environment));
}
