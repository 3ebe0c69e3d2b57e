/** Reads stack config the way the Pulumi CLI does: `Pulumi.<stack>.yaml`, key `config:`. */
import { readFileSync, existsSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

export function readStackConfig(projectDir: string, stack: string): Record<string, unknown> {
  const file = join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new Error(`No stack file ${file}: environments are defined by Pulumi.<env>.yaml (try --env dev or --env prod)`);
  }
  const parsed = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  return parsed?.config ?? {};
}

/** The config a workload stack gets: which hub stack to read and which account it is. */
export function workloadStackConfig(hubStack: string, accountName: string): Record<string, unknown> {
  return {
    "pulumi:disable-default-providers": ["*"],
    "observability:hubStack": hubStack,
    "observability:accountName": accountName,
  };
}
