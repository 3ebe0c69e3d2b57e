/** The committed organisation models, parsed, for tests that derive bad cases from good ones. */
import { resolve } from "path";
import { readStackConfig } from "../../stacks/plan/stack-files";

export const PROJECT_DIR = resolve(__dirname, "../..");

/** `observability:*` keys of Pulumi.<env>.yaml without the namespace, deep-copied. */
export function hubRawConfig(environment: string): Record<string, any> {
  const config = readStackConfig(PROJECT_DIR, environment);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("observability:")) raw[key.slice("observability:".length)] = value;
  }
  return JSON.parse(JSON.stringify(raw));
}
