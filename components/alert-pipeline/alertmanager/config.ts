/**
 * The Alertmanager configuration of one AMP workspace: a receiver per team (SNS only, as
 * AMP requires), routes by `team` and then `severity`, grouping, inhibition.
 */
import { stringify } from "yaml";
import { asciiAttribute, MESSAGE_TEMPLATE, MESSAGE_TEMPLATE_FILE, SUBJECT_TEMPLATE } from "./message-template";
import { ALERT_SEVERITIES, AlertmanagerSettings, NotificationTiming, validateAlertmanagerSettings } from "./settings";

export function receiverName(team: string): string {
  return `team-${team}`;
}

/** A matcher in Alertmanager's string syntax, the value quoted so any team name is safe. */
function equals(label: string, value: string): string {
  return `${label}=${JSON.stringify(value)}`;
}

function snsReceiver(settings: AlertmanagerSettings, team: string, topicArn: string): Record<string, unknown> {
  return {
    name: receiverName(team),
    sns_configs: [
      {
        topic_arn: topicArn,
        sigv4: { region: settings.region },
        subject: `{{ template "${SUBJECT_TEMPLATE}" . }}`,
        message: `{{ template "${MESSAGE_TEMPLATE}" . }}`,
        // For SNS subscription filter policies and the notifier's routing.
        attributes: {
          team,
          severity: asciiAttribute('or .CommonLabels.severity "none"'),
          status: asciiAttribute(".Status"),
        },
        send_resolved: true,
      },
    ],
  };
}

function timingFields(timing: Partial<NotificationTiming> | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  if (timing?.groupWait) fields.group_wait = timing.groupWait;
  if (timing?.groupInterval) fields.group_interval = timing.groupInterval;
  if (timing?.repeatInterval) fields.repeat_interval = timing.repeatInterval;
  return fields;
}

function severityRoutes(settings: AlertmanagerSettings): Record<string, unknown>[] {
  return ALERT_SEVERITIES.filter((severity) => Object.keys(timingFields(settings.severityTiming[severity])).length > 0).map((severity) => ({
    matchers: [equals("severity", severity)],
    ...timingFields(settings.severityTiming[severity]),
  }));
}

/** The Alertmanager YAML (as an object), exactly what AMP's `alertmanager_config` holds. */
export function alertmanagerConfig(settings: AlertmanagerSettings): Record<string, unknown> {
  validateAlertmanagerSettings(settings);
  const teams = Object.keys(settings.teams).sort();
  const bySeverity = severityRoutes(settings);
  const withSeverityRoutes = (route: Record<string, unknown>) => (bySeverity.length > 0 ? { ...route, routes: bySeverity } : route);
  return {
    templates: [MESSAGE_TEMPLATE_FILE],
    route: {
      receiver: receiverName(settings.fallbackTeam),
      group_by: settings.groupBy,
      ...timingFields(settings.timing),
      // Team routes first; an alert of no listed team falls through to the severity routes
      // of the fallback receiver.
      routes: [...teams.map((team) => withSeverityRoutes({ receiver: receiverName(team), matchers: [equals("team", team)] })), ...bySeverity],
    },
    // A critical alert silences the lesser alerts of the same name in the same account and cluster.
    inhibit_rules: [
      { source_matchers: [equals("severity", "critical")], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "account", "cluster"] },
      { source_matchers: [equals("severity", "warning")], target_matchers: [equals("severity", "info")], equal: ["alertname", "account", "cluster"] },
    ],
    receivers: [
      snsReceiver(settings, settings.fallbackTeam, settings.topicArn),
      ...teams.map((team) => snsReceiver(settings, team, settings.teams[team].topicArn ?? settings.topicArn)),
    ],
  };
}

export function renderAlertmanagerConfig(settings: AlertmanagerSettings): string {
  return stringify(alertmanagerConfig(settings), { lineWidth: 0, aliasDuplicateObjects: false });
}
