/**
 * Which destinations the alerts of each account reach, computed from the organisation model
 * exactly as the notifier routes them at run time (`routeAlert`): the `team` and `severity`
 * of every enabled rule (source `amp`) and of every CloudWatch alarm (source `cloudwatch`),
 * matched against the routes. An alert no destination matches is dead-lettered as unrouted,
 * so validation refuses such a model and the plan summary shows each account's routing.
 */
import { ALARM_PRESETS } from "../../components/alert-pipeline/workload/presets";
import { alertingRules, resolveRuleSettings } from "../../components/alert-pipeline/rules";
import { AlertSource, SEVERITIES, Severity } from "../../components/alert-pipeline/notifier/alert";
import { DestinationConfig, DestinationType } from "../../components/alert-pipeline/notifier/config";
import { routeAlert } from "../../components/alert-pipeline/notifier/routing";
import { notifierConfig } from "../../components/alert-pipeline/hub/notifier-config";
import { HubStackConfig, WorkloadAccountConfig } from "./schema";

/** One kind of alert an account can raise: who it is for, how loud, where it comes from. */
export interface AlertKind {
  team: string;
  severity: Severity;
  source: AlertSource;
}

export interface RoutedAlertKind extends AlertKind {
  /** Destinations that receive it, in config order; empty means it is dead-lettered. */
  destinations: string[];
}

function severityOrder(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** The distinct (team, severity, source) of the alerts one account can raise. */
export function alertKindsOf(workload: WorkloadAccountConfig): AlertKind[] {
  const kinds = new Map<string, AlertKind>();
  const add = (kind: AlertKind) => kinds.set(`${kind.team}/${kind.severity}/${kind.source}`, kind);
  const settings = resolveRuleSettings({ ...workload.rules, team: workload.rules.team ?? workload.team });
  for (const rule of alertingRules(settings)) add({ team: rule.labels.team, severity: rule.labels.severity, source: "amp" });
  for (const alarm of workload.alarms) add({ team: workload.team, severity: alarm.severity ?? ALARM_PRESETS[alarm.preset].severity, source: "cloudwatch" });
  return [...kinds.values()].sort((a, b) => a.team.localeCompare(b.team) || severityOrder(a.severity, b.severity) || a.source.localeCompare(b.source));
}

/** The notifier's destinations with their matches, as the hub deploys them (secret ARNs do not matter here). */
function routedDestinations(config: HubStackConfig): DestinationConfig[] {
  const { destinations, routes } = config.alerting;
  const secretArns = Object.fromEntries(destinations.map((d) => [d.name, d.name]));
  return notifierConfig(
    destinations.map((d) => ({ ...d, type: d.type as DestinationType })),
    routes.map((r) => ({ ...r, sources: r.sources as AlertSource[] | undefined })),
    secretArns,
  ).destinations;
}

/** Every alert kind of one account with the destinations it reaches. */
export function accountAlertRouting(config: HubStackConfig, workload: WorkloadAccountConfig): RoutedAlertKind[] {
  const destinations = routedDestinations(config);
  return alertKindsOf(workload).map((kind) => ({
    ...kind,
    destinations: routeAlert(destinations, kind).map((d) => d.name),
  }));
}

export interface UnroutedTeam {
  team: string;
  /** Accounts whose alerts carry this team. */
  accounts: string[];
  /** Severities (with their sources) that reach no destination. */
  severities: Array<{ severity: Severity; sources: AlertSource[] }>;
}

/** Teams with alerts that no destination receives: each would be dead-lettered as unrouted. */
export function unroutedTeams(config: HubStackConfig): UnroutedTeam[] {
  const byTeam = new Map<string, { accounts: Set<string>; severities: Map<Severity, Set<AlertSource>> }>();
  for (const workload of config.workloads) {
    for (const kind of accountAlertRouting(config, workload)) {
      if (kind.destinations.length > 0) continue;
      const entry = byTeam.get(kind.team) ?? { accounts: new Set<string>(), severities: new Map<Severity, Set<AlertSource>>() };
      entry.accounts.add(workload.name);
      entry.severities.set(kind.severity, (entry.severities.get(kind.severity) ?? new Set<AlertSource>()).add(kind.source));
      byTeam.set(kind.team, entry);
    }
  }
  return [...byTeam.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([team, entry]) => ({
    team,
    accounts: [...entry.accounts].sort(),
    severities: [...entry.severities.entries()].sort(([a], [b]) => severityOrder(a, b)).map(([severity, sources]) => ({ severity, sources: [...sources].sort() })),
  }));
}
