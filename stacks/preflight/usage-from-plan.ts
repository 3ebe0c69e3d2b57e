/**
 * Quota usage counted in the offline plan's resources: every stack's resources with their
 * type, inputs and the account their provider deploys into. Exact where the plan can see:
 * the per-workspace counts come from the rendered rule files and alertmanager definitions.
 * What the plan cannot see (the children of pulumi-eks' remote `Cluster`) is added by rule.
 */
import { parse } from "yaml";
import { EnvironmentPlan, PlannedStack } from "../plan/plan";
import { ResourceRecord, UNKNOWN_MARKER } from "../plan/run-stack";
import { QuotaId } from "./catalog";
import { DEFAULT_EVENT_BUS } from "./usage-from-config";
import { GLOBAL_REGION, QuotaScope, QuotaUsage, UsageNote, scopeKey } from "./usage";

export interface PlanUsage {
  usage: QuotaUsage[];
  notes: UsageNote[];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== UNKNOWN_MARKER ? value : undefined;
}

/** Resources of a provider other than aws (Grafana, Kubernetes) deploy with the stack's own account. */
function accountOf(stack: PlannedStack, resource: ResourceRecord): string {
  return resource.accountId ?? stack.accountId;
}

class Counter {
  private readonly counts = new Map<string, QuotaUsage>();
  add(quotaId: QuotaId, scope: QuotaScope, n = 1): void {
    const key = scopeKey(quotaId, scope);
    const current = this.counts.get(key) ?? { quotaId, scope, used: 0, basis: "plan" as const };
    current.used += n;
    this.counts.set(key, current);
  }
  set(quotaId: QuotaId, scope: QuotaScope, n: number): void {
    this.counts.set(scopeKey(quotaId, scope), { quotaId, scope, used: n, basis: "plan" });
  }
  values(): QuotaUsage[] {
    return [...this.counts.values()];
  }
}

/** Recording and alerting rules in one rule group namespace's file. */
export function rulesInNamespace(data: string): number {
  const parsed = parse(data) as { groups?: Array<{ rules?: unknown[] }> } | null;
  return (parsed?.groups ?? []).reduce((n, group) => n + (group.rules?.length ?? 0), 0);
}

export interface AlertmanagerCounts {
  routes: number;
  inhibitRules: number;
  templates: number;
}

/** Routing tree nodes (the root route included), inhibition rules and templates of an AMP alertmanager definition. */
export function alertmanagerCounts(definition: string): AlertmanagerCounts {
  const outer = parse(definition) as { template_files?: Record<string, string>; alertmanager_config?: string } | null;
  const config = parse(outer?.alertmanager_config ?? "") as { route?: Route; inhibit_rules?: unknown[] } | null;
  interface Route { routes?: Route[] }
  const nodes = (route: Route | undefined): number => (route ? 1 + (route.routes ?? []).reduce((n, r) => n + nodes(r), 0) : 0);
  return {
    routes: nodes(config?.route),
    inhibitRules: config?.inhibit_rules?.length ?? 0,
    templates: Object.keys(outer?.template_files ?? {}).length,
  };
}

/** Roles pulumi-eks creates inside its remote `Cluster` unless it is given them. */
function hiddenEksRoles(inputs: Record<string, unknown>): number {
  const serviceRole = inputs.serviceRole === undefined ? 1 : 0;
  const instanceRole = inputs.instanceRole === undefined && inputs.instanceRoles === undefined ? 1 : 0;
  return serviceRole + instanceRole;
}

/** Parses each distinct document once: at scale most workspaces share their rule files. */
function memo<T>(fn: (document: string) => T): (document: string) => T {
  const seen = new Map<string, T>();
  return (document) => {
    if (!seen.has(document)) seen.set(document, fn(document));
    return seen.get(document)!;
  };
}

export function usageFromPlan(plan: EnvironmentPlan, region: string): PlanUsage {
  const countRules = memo(rulesInNamespace);
  const countAlertmanager = memo(alertmanagerCounts);
  const counter = new Counter();
  const notes: UsageNote[] = [];
  const alertmanagers: Array<{ scope: QuotaScope; counts: AlertmanagerCounts }> = [];

  // Grafana objects of one workspace are spread over the hub's stacks: counted per hub account.
  const grafanaByAccount = new Map<string, { region: string; dataSources: number; dashboards: number; folders: number; managed: boolean }>();
  for (const stack of plan.stacks) {
    if (!grafanaByAccount.has(stack.accountId)) grafanaByAccount.set(stack.accountId, { region, dataSources: 0, dashboards: 0, folders: 0, managed: false });
    const grafana = grafanaByAccount.get(stack.accountId)!;
    for (const r of stack.resources) {
      const account = accountOf(stack, r);
      const inRegion: QuotaScope = { account, region };
      switch (r.type) {
        case "aws:amp/workspace:Workspace":
          counter.add("amp-workspaces", inRegion);
          break;
        case "aws:amp/ruleGroupNamespace:RuleGroupNamespace": {
          const workspace = { ...inRegion, resource: `workspace ${text(r.inputs.workspaceId) ?? "(unknown id)"}` };
          counter.add("amp-rule-namespaces", workspace);
          const data = text(r.inputs.data);
          if (data) counter.add("amp-rules", workspace, countRules(data));
          break;
        }
        case "aws:amp/alertManagerDefinition:AlertManagerDefinition": {
          const definition = text(r.inputs.definition);
          if (definition) {
            alertmanagers.push({ scope: { ...inRegion, resource: `workspace ${text(r.inputs.workspaceId) ?? "(unknown id)"}` }, counts: countAlertmanager(definition) });
          }
          break;
        }
        case "aws:iam/role:Role":
          counter.add("iam-roles", { account, region: GLOBAL_REGION });
          break;
        case "eks:index:Cluster":
          counter.add("iam-roles", { account, region: GLOBAL_REGION }, hiddenEksRoles(r.inputs));
          break;
        case "aws:grafana/workspace:Workspace":
          counter.add("grafana-workspaces", inRegion);
          grafana.managed = true;
          break;
        case "aws:cloudwatch/eventBus:EventBus":
          counter.add("eventbridge-buses", inRegion);
          break;
        case "aws:cloudwatch/eventRule:EventRule":
          counter.add("eventbridge-rules", { ...inRegion, resource: text(r.inputs.eventBusName) ?? DEFAULT_EVENT_BUS });
          break;
        case "aws:cloudwatch/eventTarget:EventTarget":
          counter.add("eventbridge-targets", {
            ...inRegion,
            resource: `${text(r.inputs.eventBusName) ?? DEFAULT_EVENT_BUS}/${text(r.inputs.rule) ?? "(unknown rule)"}`,
          });
          break;
        case "aws:sns/topicSubscription:TopicSubscription":
          counter.add("sns-subscriptions", { ...inRegion, resource: text(r.inputs.topic)?.split(":").pop() ?? "(unknown topic)" });
          break;
        case "grafana:oss/dataSource:DataSource":
          grafana.dataSources++;
          break;
        case "grafana:oss/dashboard:Dashboard":
          grafana.dashboards++;
          break;
        case "grafana:oss/folder:Folder":
          grafana.folders++;
          break;
      }
    }
  }
  for (const [account, grafana] of grafanaByAccount) {
    if (grafana.dataSources + grafana.dashboards + grafana.folders === 0) continue;
    // The self-hosted backend's Grafana runs in the hub account too, with no workspace resource.
    notes.push({
      scope: { account, region: grafana.region, resource: grafana.managed ? "Managed Grafana workspace" : "self-hosted Grafana" },
      text: `${grafana.dataSources} data sources, ${grafana.dashboards} dashboards, ${grafana.folders} folders ` +
        (grafana.managed ? "(Amazon Managed Grafana service quotas list no per-workspace limit for these)" : "(Grafana sets no limit on these; they live in its database on EFS)"),
    });
  }
  for (const { scope, counts } of alertmanagers) {
    counter.set("amp-alertmanager-routes", scope, counts.routes);
    counter.set("amp-alertmanager-inhibit-rules", scope, counts.inhibitRules);
    counter.set("amp-alertmanager-templates", scope, counts.templates);
  }
  return { usage: counter.values(), notes };
}
