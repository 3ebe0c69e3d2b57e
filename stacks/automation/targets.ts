/**
 * Which stacks a deployment of one environment touches, derived from the organisation
 * model in `Pulumi.<env>.yaml`, in the order they run: the shared hub stack `<env>`; per
 * account its hub stack `<env>-hub-<account>`; the query stack `<env>-query`; per account
 * its workload stack `<env>-<account>`; each with exactly the config the model implies.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../config/schema";
import { validateHubConfig } from "../config/validate";
import { hubAccountStackName, hubQueryStackName } from "../contract";
import { StackKind } from "../plan/plan";
import { AccountEntry, hubAccountStackConfig, hubQueryStackConfig, readStackConfig, workloadStackConfig } from "../plan/stack-files";

export interface DeployTarget {
  /** The name the backend knows the stack by (`<env>...` or `<org>/<project>/<env>...`). */
  stackName: string;
  kind: StackKind;
  /** `hub`, `query`, or the workload account's name in the organisation model. */
  account: string;
  accountId: string;
  /** Config to set on the stack; the hub's lives in `Pulumi.<env>.yaml` and is not touched. */
  config?: Record<string, unknown>;
}

export interface DeploymentPlan {
  environment: string;
  /** The shared hub stack. */
  hub: DeployTarget;
  /** Per account, its stack in the hub account (workspace, rules, Grafana folder). */
  hubAccounts: DeployTarget[];
  /** Promxy and the cross-account views, after the accounts' hub stacks. */
  query: DeployTarget;
  workloads: DeployTarget[];
  /**
   * Lifetime of the hub's Grafana automation token: the hub program replaces the token on
   * its first update in each half-lifetime window, so the window is one of its inputs.
   */
  grafanaTokenTtlDays: number;
}

export interface DeploymentRequest {
  environment: string;
  /** Backend organisation; when set, stack names are fully qualified `org/project/stack`. */
  org?: string;
  /** Limit the per-account stacks to this account (the shared hub and query stacks still run). */
  only?: string;
}

export function projectName(projectDir: string): string {
  const file = join(projectDir, "Pulumi.yaml");
  const parsed = parse(readFileSync(file, "utf8")) as { name?: unknown } | null;
  if (typeof parsed?.name !== "string" || parsed.name === "") {
    throw new Error(`${file} has no project name`);
  }
  return parsed.name;
}

export function backendStackName(stack: string, project: string, org?: string): string {
  return org ? `${org}/${project}/${stack}` : stack;
}

/** Validates the organisation model (throws its ConfigErrors) and lists the stacks to run. */
export function planDeployment(projectDir: string, request: DeploymentRequest): DeploymentPlan {
  const { environment, org, only } = request;
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(readStackConfig(projectDir, environment))) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  }
  const model = validateHubConfig(environment, raw);
  const project = projectName(projectDir);
  const hubStack = backendStackName(environment, project, org);

  if (only !== undefined && !model.workloads.some((w) => w.name === only)) {
    const known = model.workloads.map((w) => w.name).join(", ") || "none";
    throw new Error(`--only ${only}: no workload account "${only}" in Pulumi.${environment}.yaml (accounts: ${known})`);
  }
  const accounts = model.workloads.filter((w) => only === undefined || w.name === only);
  // The entries as written in Pulumi.<env>.yaml: an account's hub stack validates its own.
  const rawEntries = raw.workloads as AccountEntry[];
  const hubAccountId = model.hub.accountId;
  return {
    environment,
    hub: { stackName: hubStack, kind: "hub", account: "hub", accountId: hubAccountId },
    hubAccounts: accounts.map((w): DeployTarget => ({
      stackName: backendStackName(hubAccountStackName(environment, w.name), project, org),
      kind: "hub-account",
      account: w.name,
      accountId: hubAccountId,
      config: hubAccountStackConfig(hubStack, rawEntries.find((entry) => entry.name === w.name)!),
    })),
    query: {
      stackName: backendStackName(hubQueryStackName(environment), project, org),
      kind: "hub-query",
      account: "query",
      accountId: hubAccountId,
      config: hubQueryStackConfig(hubStack),
    },
    workloads: accounts.map((w): DeployTarget => ({
      stackName: backendStackName(`${environment}-${w.name}`, project, org),
      kind: "workload",
      account: w.name,
      accountId: w.accountId,
      config: workloadStackConfig(hubStack, w.name),
    })),
    grafanaTokenTtlDays: model.grafana.tokenTtlDays,
  };
}
