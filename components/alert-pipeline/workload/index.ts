/** Workload side of the alert pipeline: CloudWatch alarm presets and their forwarding to the hub. */
export { AlarmForwarder, AlarmForwarderArgs } from "./alarm-forwarder";
export { ALARM_PRESETS, ALARM_PRESET_NAMES, AlarmDeclaration, AlarmPreset, AlarmPresetName, AlarmSeverity, AlarmSpec, alarmSpecs } from "./presets";
