/**
 * A hub config with N generated workload accounts: every other key, and the shape of each
 * account, come from the dev stack file, so the bench follows the config as it evolves.
 */
import { createHash } from "crypto";
import { join } from "path";
import { readStackConfig } from "../stacks/plan/stack-files";

export const BENCH_ENVIRONMENT = "bench";
export const BENCH_REGION = "eu-west-1";
export const BENCH_HUB_ACCOUNT = "100000000000";
const TEMPLATE_STACK = "dev";

export interface GeneratedWorkload {
  name: string;
  accountId: string;
  deployRoleArn: string;
  team: string;
  clusters: Array<{ name: string; oidcProviderArn: string; oidcIssuerUrl: string }>;
}

export function generatedWorkload(index: number): GeneratedWorkload {
  const accountId = String(200_000_000_000 + index);
  const oidcId = createHash("sha256").update(accountId).digest("hex").slice(0, 32).toUpperCase();
  const issuerHost = `oidc.eks.${BENCH_REGION}.amazonaws.com/id/${oidcId}`;
  return {
    name: `acct-${String(index).padStart(4, "0")}`,
    accountId,
    deployRoleArn: `arn:aws:iam::${accountId}:role/observability-deploy`,
    team: `team-${index % 10}`,
    clusters: [{ name: `eks-${index}`, oidcProviderArn: `arn:aws:iam::${accountId}:oidc-provider/${issuerHost}`, oidcIssuerUrl: `https://${issuerHost}` }],
  };
}

/** The dev stack's first account with an existing cluster: its collector, alarms and other settings are kept. */
function templateWorkload(devConfig: Record<string, unknown>): Record<string, unknown> {
  const workloads = (devConfig["observability:workloads"] ?? []) as Array<Record<string, unknown>>;
  const template = workloads.find((w) => Array.isArray(w.clusters) && (w.clusters as Array<Record<string, unknown>>).every((c) => "oidcProviderArn" in c));
  if (!template) throw new Error(`Pulumi.${TEMPLATE_STACK}.yaml has no workload account with an existing cluster to use as a template`);
  return template;
}

/** The keys of a hub stack, as in Pulumi.<env>.yaml, with `accounts` generated workloads. */
export function generatedHubConfig(accounts: number): Record<string, unknown> {
  const dev = readStackConfig(join(__dirname, ".."), TEMPLATE_STACK);
  const template = templateWorkload(dev);
  const hub = dev["observability:hub"] as Record<string, unknown>;
  return {
    ...dev,
    "observability:environment": BENCH_ENVIRONMENT,
    "observability:hub": {
      ...hub,
      accountId: BENCH_HUB_ACCOUNT,
      region: BENCH_REGION,
      deployRoleArn: `arn:aws:iam::${BENCH_HUB_ACCOUNT}:role/observability-deploy`,
    },
    "observability:workloads": Array.from({ length: accounts }, (_, i) => ({ ...template, ...generatedWorkload(i + 1) })),
  };
}
