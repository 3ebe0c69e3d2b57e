/** The AMP alertmanager definition of a workspace: SNS receivers, routing, the JSON message template. */
export {
  ALERT_SEVERITIES,
  AMP_MAX_REPEAT_INTERVAL_SECONDS,
  DEFAULT_FALLBACK_TEAM,
  DEFAULT_GROUP_BY,
  DEFAULT_MAX_ALERTS_PER_MESSAGE,
  DEFAULT_NOTIFICATION_TIMING,
  DEFAULT_SEVERITY_TIMING,
  alertmanagerOverrideSchema,
  durationSeconds,
  resolveAlertmanagerSettings,
  validateAlertmanagerSettings,
} from "./settings";
export type { AlertSeverity, AlertmanagerOverride, AlertmanagerSettings, NotificationTiming, TeamRoute } from "./settings";
export { alertmanagerConfig, receiverName, renderAlertmanagerConfig } from "./config";
export { MESSAGE_TEMPLATE, MESSAGE_TEMPLATE_FILE, SUBJECT_TEMPLATE, messageTemplateText } from "./message-template";
export { alertmanagerTemplates, renderAlertmanagerDefinition } from "./definition";
export { ampAlertmanagerViolations } from "./amp-restrictions";
