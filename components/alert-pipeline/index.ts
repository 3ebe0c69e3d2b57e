/**
 * The alert pipeline: hub side (AlertPipeline) and workload side (AlarmForwarder). Rules,
 * the alertmanager definition and the notifier are pure modules beside them.
 */
export {
  AlertPipeline,
  AlertPipelineArgs,
  AlertWorkloadAccount,
  AlertWorkspace,
  NotifierSettings,
} from "./hub/alert-pipeline";
export { WorkspaceAlerting, WorkspaceAlertingArgs, ruleTeams } from "./hub/workspace-alerting";
export { AlertDestination, AlertRoute, notifierConfig } from "./hub/notifier-config";
export * from "./hub/names";
export { AlarmForwarder, AlarmForwarderArgs, ALARM_PRESETS, ALARM_PRESET_NAMES, AlarmDeclaration, AlarmPresetName, alarmSpecs } from "./workload";
