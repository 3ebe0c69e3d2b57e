/** Reads stack config the way the Pulumi CLI does: `Pulumi.<stack>.yaml`, key `config:`. */
import { readFileSync, existsSync, readdirSync } from "fs";
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

const HUB_STACK_KEY = "observability:hubStack";

/** The environments of this project: stack files that are hub stacks (no `observability:hubStack`). */
export function environmentsOf(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined && readStackConfig(projectDir, stack)[HUB_STACK_KEY] === undefined)
    .sort();
}

/**
 * The config of an environment's hub stack, `Pulumi.<env>.yaml`. A workload stack file or a
 * missing one is refused with the environments that can be planned.
 */
export function readHubStackConfig(projectDir: string, environment: string): Record<string, unknown> {
  const file = `Pulumi.${environment}.yaml`;
  if (!existsSync(join(projectDir, file))) {
    throw new Error(`environment "${environment}" has no stack file ${file}: environments are ${environmentsOf(projectDir).join(", ")} (Pulumi.<env>.yaml)`);
  }
  const config = readStackConfig(projectDir, environment);
  const hubStack = config[HUB_STACK_KEY];
  if (hubStack !== undefined) {
    const hubEnvironment = String(hubStack).split("/").pop()!;
    const account = config["observability:accountName"];
    const environments = environmentsOf(projectDir);
    throw new Error(`"${environment}" is a workload stack (account ${account ?? "?"} of hub stack ${String(hubStack)}), not an environment: ` +
      `a plan covers a whole environment, the hub and all its workload stacks. Plan its environment instead: npm run plan -- --env ${hubEnvironment}` +
      (environments.includes(hubEnvironment) ? "" : ` (environments: ${environments.join(", ")})`));
  }
  return config;
}

/** The config a workload stack gets: which hub stack to read and which account it is. */
export function workloadStackConfig(hubStack: string, accountName: string): Record<string, unknown> {
  return {
    "pulumi:disable-default-providers": ["*"],
    "observability:hubStack": hubStack,
    "observability:accountName": accountName,
  };
}

/** An account's entry of the organisation model, as written in `Pulumi.<env>.yaml`. */
export interface AccountEntry {
  name: string;
  [key: string]: unknown;
}

/**
 * The config of an account's hub-side stack `<env>-hub-<account>`, which the driver creates:
 * which shared hub to read, and the account's own entry of the model as written there. The
 * entry is one JSON text, not a tree of `--path` keys: the CLI turns path values that look
 * like integers or booleans into numbers and booleans (pulumi/pulumi#17586), so a
 * 12-digit account id would arrive as a number.
 */
export function hubAccountStackConfig(hubStack: string, account: AccountEntry): Record<string, unknown> {
  return { ...workloadStackConfig(hubStack, account.name), "observability:hubPart": "account", "observability:account": JSON.stringify(account) };
}

/** The config of the query stack `<env>-query`, which the driver creates. */
export function hubQueryStackConfig(hubStack: string): Record<string, unknown> {
  return { ...workloadStackConfig(hubStack, "query"), "observability:hubPart": "query" };
}
