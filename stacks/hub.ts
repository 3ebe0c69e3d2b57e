/** The hub stack of an environment: the organisation model in, the ObservabilityHub out. */
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityHub } from "../components/observability-hub";
import { HubStackConfig } from "./config/schema";
import { WorkloadStackRecords } from "./contract";
import { deployProvider } from "./providers";

export function hubProgram(config: HubStackConfig) {
  const { environment, hub: hubConfig, grafana } = config;
  const provider = deployProvider(`hub-${environment}`, { ...hubConfig, environment });

  const hub = new ObservabilityHub(`hub-${environment}`, {
    environment,
    accountId: hubConfig.accountId,
    region: hubConfig.region,
    workloads: config.workloads.map((w) => ({ name: w.name, accountId: w.accountId })),
    amp: hubConfig.amp,
    grafana: { version: grafana.version, sso: grafana.sso, tokenTtlDays: grafana.tokenTtlDays },
  }, { providers: { aws: provider } });

  const workloads: pulumi.Output<WorkloadStackRecords> = hub.workloads.apply((records) =>
    Object.fromEntries(config.workloads.map((w) => [w.name, {
      ...records[w.name],
      deployRoleArn: w.deployRoleArn,
      team: w.team,
      clusters: w.clusters,
      collector: w.collector,
    }])));

  return {
    environment,
    hubAccountId: hubConfig.accountId,
    region: hubConfig.region,
    grafanaUrl: hub.grafana.url,
    grafanaWorkspaceId: hub.grafana.workspaceId,
    workloads,
  };
}
