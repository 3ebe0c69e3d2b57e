/**
 * What each workload account gets, in the words an operator reviews a change in: clusters,
 * collector, VPC endpoints, alarms and where the team's alerts go. Derived from the validated
 * organisation model; routing is the notifier's own (`stacks/config/alert-coverage.ts`).
 */
import { AlertSource, Severity } from "../../components/alert-pipeline/notifier/alert";
import { ALARM_PRESETS } from "../../components/alert-pipeline/workload/presets";
import { accountAlertRouting } from "../config/alert-coverage";
import { HubStackConfig, isDemoCluster } from "../config/schema";

export interface AccountSummary {
  account: string;
  accountId: string;
  stack: string;
  team: string;
  clusters: Array<{ name: string; kind: "existing" | "created"; vpcEndpoint: boolean }>;
  collector: {
    mode: string;
    prometheusMode?: string;
    scrapeInterval: string;
    /** Managed scraper, per cluster: the authentication mode the run read and how the scraper gets in (the stack output). */
    scraperAccess?: Record<string, { authenticationMode: string; method: string }>;
  };
  /** Clusters that remote-write through an `aps-workspaces` interface endpoint. */
  vpcEndpoints: string[];
  alarms: Array<{ preset: string; resource: string; severity: string }>;
  /** Per team and severity of the account's alerts: the destinations they reach (by source when routes differ). */
  routing: Array<{ team: string; severity: Severity; sources: AlertSource[]; destinations: string[] }>;
}

/** What the planned workload stacks output, by stack name (`<env>-<account>`). */
export type StackOutputs = Record<string, Record<string, unknown> | undefined>;

function scraperAccessOf(outputs: Record<string, unknown> | undefined): AccountSummary["collector"]["scraperAccess"] {
  const access = outputs?.scraperAccess as Record<string, { authenticationMode: string; method: string }> | undefined;
  if (!access) return undefined;
  return Object.fromEntries(Object.entries(access).map(([cluster, a]) => [cluster, { authenticationMode: a.authenticationMode, method: a.method }]));
}

export function summariseAccounts(config: HubStackConfig, stackOutputs: StackOutputs = {}): AccountSummary[] {
  return config.workloads.map((workload) => {
    const routing: AccountSummary["routing"] = [];
    for (const kind of accountAlertRouting(config, workload)) {
      const same = routing.find((r) => r.team === kind.team && r.severity === kind.severity && r.destinations.join() === kind.destinations.join());
      if (same) same.sources.push(kind.source);
      else routing.push({ team: kind.team, severity: kind.severity, sources: [kind.source], destinations: kind.destinations });
    }
    const collector = workload.collector;
    return {
      account: workload.name,
      accountId: workload.accountId,
      stack: `${config.environment}-${workload.name}`,
      team: workload.team,
      clusters: workload.clusters.map((cluster) => ({
        name: cluster.name,
        kind: isDemoCluster(cluster) ? "created" as const : "existing" as const,
        vpcEndpoint: !isDemoCluster(cluster) && cluster.vpcEndpoint !== undefined,
      })),
      collector: {
        mode: collector.mode,
        ...(collector.mode === "prometheus" ? { prometheusMode: collector.prometheusMode } : {}),
        scrapeInterval: collector.scrapeInterval,
        ...(collector.mode === "managed-scraper" && scraperAccessOf(stackOutputs[`${config.environment}-${workload.name}`])
          ? { scraperAccess: scraperAccessOf(stackOutputs[`${config.environment}-${workload.name}`]) }
          : {}),
      },
      vpcEndpoints: workload.clusters.filter((c) => !isDemoCluster(c) && c.vpcEndpoint !== undefined).map((c) => c.name),
      alarms: workload.alarms.map((a) => ({ preset: a.preset, resource: a.resource, severity: a.severity ?? ALARM_PRESETS[a.preset].severity })),
      routing,
    };
  });
}

function sourceNames(sources: AlertSource[]): string {
  return sources.map((s) => (s === "amp" ? "rules" : "alarms")).join("+");
}

/** One line per fact, for the console and for Markdown lists. */
export function accountLines(summary: AccountSummary): string[] {
  const clusters = summary.clusters.map((c) => `${c.name} (${c.kind}${c.vpcEndpoint ? ", VPC endpoint" : ""})`).join(", ");
  const collector = summary.collector.mode === "prometheus"
    ? `Prometheus ${summary.collector.prometheusMode} mode, every ${summary.collector.scrapeInterval}`
    : `AMP managed scraper, every ${summary.collector.scrapeInterval}`;
  const alarms = summary.alarms.length === 0 ? "none" : summary.alarms.map((a) => `${a.preset} on ${a.resource} (${a.severity})`).join(", ");
  const access = Object.entries(summary.collector.scraperAccess ?? {}).map(([cluster, a]) =>
    `${cluster} ${a.authenticationMode} -> ${a.method === "aws-auth" ? "aps-collector-role RBAC installed, aws-auth mapping by hand" : "access entry created by AMP"}`);
  return [
    `clusters: ${clusters}`,
    `collector: ${collector}`,
    ...(access.length === 0 ? [] : [`scraper access (authentication mode read at deploy): ${access.join(", ")}`]),
    `VPC endpoints: ${summary.vpcEndpoints.length === 0 ? "none" : summary.vpcEndpoints.join(", ")}`,
    `alarms: ${alarms}`,
    ...summary.routing.map((r) => `alerts of team ${r.team}, ${r.severity} (${sourceNames(r.sources)}) -> ${r.destinations.join(", ") || "no destination"}`),
  ];
}
