/**
 * Quota usage derived from the organisation model alone: what the hub and workload programs
 * create per account, as counts. It needs no plan, so it answers for any organisation size
 * in milliseconds (a 1,000-account hub takes minutes under the mock runtime). The offline
 * plan's counts (`usage-from-plan.ts`) are exact and are preferred when a plan exists; the
 * tests hold the two to the same numbers on the committed environments.
 *
 * Per-workspace quotas (rules, alertmanager routes) are not derived here: they depend on the
 * rendered documents, which only the plan has.
 */
import { alertBusName, alertTopicName, pipelineHealthTopicName } from "../../components/alert-pipeline/hub/names";
import { HubStackConfig, isDemoCluster } from "../config/schema";
import { GLOBAL_REGION, QuotaUsage } from "./usage";

/**
 * pulumi-eks' `Cluster` is a remote component: the plan sees none of its children. Given no
 * `serviceRole`/`instanceRole`, it creates the cluster service role and the node instance role.
 */
export const PULUMI_EKS_HIDDEN_ROLES = 2;
/** What `ManagedEksCluster` adds next to pulumi-eks: the EBS CSI driver's IRSA role. */
const MANAGED_CLUSTER_OWN_ROLES = 1;
const CREATED_CLUSTER_ROLES = PULUMI_EKS_HIDDEN_ROLES + MANAGED_CLUSTER_OWN_ROLES;

/** The default event bus of an account: where the workload alarm-forwarding rule lives. */
export const DEFAULT_EVENT_BUS = "default";

/** IAM roles the hub program creates in the hub account. */
export function hubRoleCount(config: HubStackConfig): number {
  const ingest = config.workloads.length; // one ingest role per workload account
  const shared = 2; // Managed Grafana's role, the notifier's role
  const unified = config.unifiedQuery
    ? 2 + (config.unifiedQuery.cluster.kind === "create" ? CREATED_CLUSTER_ROLES : 0) // Promxy IRSA, load balancer controller
    : 0;
  return ingest + shared + unified;
}

/** IAM roles a workload program creates in its account. */
export function workloadRoleCount(workload: HubStackConfig["workloads"][number]): number {
  const collector = 2; // the collector's role, the CloudWatch read role Grafana assumes
  const forwarder = workload.alarms.length > 0 ? 1 : 0;
  const clusters = workload.clusters.filter(isDemoCluster).length * CREATED_CLUSTER_ROLES;
  return collector + forwarder + clusters;
}

export function usageFromConfig(config: HubStackConfig): QuotaUsage[] {
  const hub = config.hub.accountId;
  const region = config.hub.region;
  const env = config.environment;
  const usage: QuotaUsage[] = [];
  const add = (quotaId: QuotaUsage["quotaId"], account: string, r: string, used: number, resource?: string) =>
    usage.push({ quotaId, scope: { account, region: r, ...(resource ? { resource } : {}) }, used, basis: "config" });

  // Hub account: one AMP workspace and one ingest role per workload account.
  add("amp-workspaces", hub, region, config.workloads.length);
  add("iam-roles", hub, GLOBAL_REGION, hubRoleCount(config));
  add("grafana-workspaces", hub, region, 1);
  add("eventbridge-buses", hub, region, 1);
  add("eventbridge-rules", hub, region, 1, alertBusName(env));
  add("eventbridge-targets", hub, region, 1, `${alertBusName(env)}/forwarded-alarm-changes`);
  add("sns-subscriptions", hub, region, 1, alertTopicName(env)); // the notifier
  add("sns-subscriptions", hub, region, config.alerting.pipelineHealthEmails.length, pipelineHealthTopicName(env));

  // Workload accounts, each in the hub's region.
  for (const workload of config.workloads) {
    add("iam-roles", workload.accountId, GLOBAL_REGION, workloadRoleCount(workload));
    if (workload.alarms.length > 0) {
      add("eventbridge-rules", workload.accountId, region, 1, DEFAULT_EVENT_BUS);
      add("eventbridge-targets", workload.accountId, region, 1, `${DEFAULT_EVENT_BUS}/forward-alarms-${env}`);
    }
  }
  return usage;
}
