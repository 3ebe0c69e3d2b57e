/** The committed organisation models, parsed, for tests that derive bad cases from good ones. */
import { resolve } from "path";
import { ownKeys } from "../../stacks/config/read";
import { readStackConfig } from "../../stacks/plan/stack-files";

export const PROJECT_DIR = resolve(__dirname, "../..");

/** `observability:*` keys of Pulumi.<env>.yaml without the namespace, deep-copied. */
export function hubRawConfig(environment: string): Record<string, any> {
  return JSON.parse(JSON.stringify(ownKeys(readStackConfig(PROJECT_DIR, environment))));
}
