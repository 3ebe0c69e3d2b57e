/**
 * The query stack of an environment (`<env>-query`), in the hub account, run after the
 * accounts' hub stacks: Promxy across the environment's workspaces (when configured) and
 * the cross-account views in Grafana. It finds the workspaces by their alias (`<env>-<account>`)
 * through AMP's API instead of a StackReference per account, so it keeps its size at any
 * number of accounts; accounts of the model whose workspace does not exist yet are left
 * out until their hub stack has run.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/eks";
import { CrossAccountViews, ObservabilityHubArgs, grafanaApiProvider } from "../components/observability-hub";
import { ENVIRONMENT_TAG } from "../components/shared/naming";
import { UnifiedQuery } from "../components/unified-query";
import { ConfigError } from "./config/errors";
import { CONFIG_NAMESPACE, UnifiedQueryConfig, WorkloadStackConfig } from "./config/schema";
import { HubSettings } from "./contract";
import { readHubSettings } from "./hub-settings";
import { existingClusterProvider } from "./kubernetes";
import { DeployTarget, deployProvider } from "./providers";

export interface FoundWorkspace {
  accountName: string;
  workspaceId: string;
  workspaceArn: string;
}

/** The model's accounts whose workspace exists, by name (the order stays the same however the settings were serialised). */
export function workspacesOfModel(settings: HubSettings, found: { aliases: string[]; arns: string[]; workspaceIds: string[] }): FoundWorkspace[] {
  const byAlias = new Map(found.aliases.map((alias, i) => [alias, { workspaceId: found.workspaceIds[i], workspaceArn: found.arns[i] }]));
  return [...settings.accountNames].sort().flatMap((accountName) => {
    const workspace = byAlias.get(`${settings.environment}-${accountName}`);
    return workspace ? [{ accountName, ...workspace }] : [];
  });
}

/** Promxy's cluster: an existing hub cluster reached through the deploy role, or a new one. */
function unifiedQueryArgs(settings: UnifiedQueryConfig, target: DeployTarget, provider: aws.Provider): NonNullable<ObservabilityHubArgs["unifiedQuery"]> {
  const { cluster } = settings;
  return {
    awsProvider: provider,
    prodLike: settings.highAvailability,
    replicas: settings.replicas,
    sigv4Mode: settings.sigv4Mode,
    exposure: settings.exposure,
    cluster: cluster.kind === "existing"
      ? {
          kind: "existing",
          clusterName: cluster.name,
          vpcId: cluster.vpcId,
          oidcProviderArn: cluster.oidcProviderArn,
          oidcProviderUrl: cluster.oidcIssuerUrl,
          k8sProvider: existingClusterProvider(`hub-${target.environment}-${cluster.name}-k8s`,
            { clusterName: cluster.name, region: target.region, deployRoleArn: target.deployRoleArn }, provider).provider(),
        }
      : {
          kind: "create",
          clusterName: cluster.name,
          vpcId: cluster.vpcId,
          privateSubnetIds: cluster.privateSubnetIds,
          instanceType: cluster.instanceType,
          nodeCount: cluster.nodeCount,
          apiEndpoint: cluster.apiEndpoint,
          deployRoleArn: target.deployRoleArn,
          eksProvider: new eks.Provider(`hub-${target.environment}-eks`),
        },
  };
}

export async function hubQueryProgram(stack: string, config: WorkloadStackConfig, shared?: pulumi.StackReference) {
  const { settings, grafanaToken } = await readHubSettings(stack, config, shared);
  const { environment, region } = settings;
  const name = `hub-${environment}`;
  const provider = deployProvider(`${name}-query`, settings);

  const found = await aws.amp.getWorkspaces({ aliasPrefix: `${environment}-` }, { provider });
  const workspaces = workspacesOfModel(settings, found);
  if (settings.unifiedQuery && workspaces.length === 0) {
    throw new ConfigError(stack, `${CONFIG_NAMESPACE}:unifiedQuery`,
      `no AMP workspace of environment "${environment}" exists yet, so Promxy would have nothing to query`,
      `deploy the accounts' hub stacks first (npm run deploy -- --env ${environment} runs them before this stack)`);
  }

  const unifiedQuery = settings.unifiedQuery && new UnifiedQuery(`${name}-unified-query`, {
    ...unifiedQueryArgs(settings.unifiedQuery, settings, provider),
    environment,
    region,
    hubAccountId: settings.accountId,
    workspaceKeyArn: settings.ampKeyArn,
    queryScope: { region, accountId: settings.accountId, tagKey: ENVIRONMENT_TAG, tagValue: environment },
    workspaces,
  }, { providers: { aws: provider } });

  new CrossAccountViews(`${name}-all-accounts`, {
    environment,
    region,
    workspaces: workspaces.map((w) => ({ accountName: w.accountName, workspaceId: w.workspaceId })),
    provider: grafanaApiProvider(`${name}-query-grafana-api`, settings.grafanaUrl, grafanaToken),
    unified: unifiedQuery,
  });

  return {
    queriedAccounts: workspaces.map((w) => w.accountName),
    missingAccounts: [...settings.accountNames].sort().filter((a) => !workspaces.some((w) => w.accountName === a)),
    ...(unifiedQuery ? { unifiedQueryUrl: unifiedQuery.queryUrl } : {}),
  };
}
