/** The validated organisation model of a hub stack, from its stack file's `config:` keys. */
import { CONFIG_NAMESPACE, HubStackConfig } from "../config/schema";
import { validateHubConfig } from "../config/validate";
import { readStackConfig } from "../plan/stack-files";

/** `stackConfig` maps `namespace:key` to parsed values, as in `Pulumi.<stack>.yaml`. */
export function hubConfigOf(stack: string, stackConfig: Record<string, unknown>): HubStackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw = Object.fromEntries(Object.entries(stackConfig)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [key.slice(prefix.length), value]));
  return validateHubConfig(stack, raw);
}

export function hubConfigOfEnvironment(projectDir: string, environment: string): HubStackConfig {
  return hubConfigOf(environment, readStackConfig(projectDir, environment));
}
