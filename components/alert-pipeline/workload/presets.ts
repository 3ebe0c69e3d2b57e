/**
 * CloudWatch alarm presets for the AWS services workload accounts run, as reviewed data.
 * An account declares `{ preset, resource, threshold? }`; the preset supplies the metric,
 * statistic, windows and a default threshold. Severity and team travel in the alarm
 * description as `severity=... team=...` tokens, which the notifier reads for routing.
 */

export type AlarmSeverity = "critical" | "error" | "warning" | "info";

export interface AlarmPreset {
  namespace: string;
  metricName: string;
  /** The dimension that names the resource (queue name, function name...). */
  dimension: string;
  /** What `resource` must be in config, for error messages and docs. */
  resourceKind: string;
  statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: "GreaterThanThreshold" | "LessThanThreshold";
  threshold: number;
  unitHint: string;
  severity: AlarmSeverity;
  /** Missing data is healthy for event counters (no errors reported) and unknown for gauges. */
  treatMissingData: "notBreaching" | "missing" | "breaching";
  summary: string;
}

export const ALARM_PRESETS = {
  "sqs-oldest-message-age": {
    namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimension: "QueueName", resourceKind: "queue name",
    statistic: "Maximum", periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3,
    comparison: "GreaterThanThreshold", threshold: 900, unitHint: "seconds", severity: "warning", treatMissingData: "notBreaching",
    summary: "Messages wait too long in queue",
  },
  "lambda-errors": {
    namespace: "AWS/Lambda", metricName: "Errors", dimension: "FunctionName", resourceKind: "function name",
    statistic: "Sum", periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1,
    comparison: "GreaterThanThreshold", threshold: 0, unitHint: "errors per 5 minutes", severity: "error", treatMissingData: "notBreaching",
    summary: "Lambda function invocations fail",
  },
  "lambda-throttles": {
    namespace: "AWS/Lambda", metricName: "Throttles", dimension: "FunctionName", resourceKind: "function name",
    statistic: "Sum", periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 2,
    comparison: "GreaterThanThreshold", threshold: 0, unitHint: "throttles per 5 minutes", severity: "warning", treatMissingData: "notBreaching",
    summary: "Lambda function invocations are throttled",
  },
  "rds-cpu": {
    namespace: "AWS/RDS", metricName: "CPUUtilization", dimension: "DBInstanceIdentifier", resourceKind: "DB instance identifier",
    statistic: "Average", periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3,
    comparison: "GreaterThanThreshold", threshold: 85, unitHint: "percent", severity: "warning", treatMissingData: "missing",
    summary: "Database CPU is saturated",
  },
  "rds-free-storage": {
    namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimension: "DBInstanceIdentifier", resourceKind: "DB instance identifier",
    statistic: "Minimum", periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 2,
    comparison: "LessThanThreshold", threshold: 10 * 1024 ** 3, unitHint: "bytes free", severity: "critical", treatMissingData: "missing",
    summary: "Database storage is almost full",
  },
  "dynamodb-read-throttles": {
    namespace: "AWS/DynamoDB", metricName: "ReadThrottleEvents", dimension: "TableName", resourceKind: "table name",
    statistic: "Sum", periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 2,
    comparison: "GreaterThanThreshold", threshold: 0, unitHint: "throttled reads per 5 minutes", severity: "warning", treatMissingData: "notBreaching",
    summary: "DynamoDB table throttles reads",
  },
  "dynamodb-write-throttles": {
    namespace: "AWS/DynamoDB", metricName: "WriteThrottleEvents", dimension: "TableName", resourceKind: "table name",
    statistic: "Sum", periodSeconds: 300, evaluationPeriods: 2, datapointsToAlarm: 2,
    comparison: "GreaterThanThreshold", threshold: 0, unitHint: "throttled writes per 5 minutes", severity: "warning", treatMissingData: "notBreaching",
    summary: "DynamoDB table throttles writes",
  },
  "alb-5xx": {
    namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimension: "LoadBalancer", resourceKind: "load balancer ARN suffix (app/<name>/<id>)",
    statistic: "Sum", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
    comparison: "GreaterThanThreshold", threshold: 10, unitHint: "5xx responses per minute", severity: "error", treatMissingData: "notBreaching",
    summary: "Load balancer returns 5xx responses",
  },
} satisfies Record<string, AlarmPreset>;

export type AlarmPresetName = keyof typeof ALARM_PRESETS;
export const ALARM_PRESET_NAMES = Object.keys(ALARM_PRESETS) as AlarmPresetName[];

/** What an account declares in config. */
export interface AlarmDeclaration {
  preset: AlarmPresetName;
  resource: string;
  threshold?: number;
  severity?: AlarmSeverity;
}

/** One alarm, fully specified: what the forwarder component deploys. */
export interface AlarmSpec {
  alarmName: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic: AlarmPreset["statistic"];
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: AlarmPreset["comparison"];
  threshold: number;
  treatMissingData: AlarmPreset["treatMissingData"];
}

/** Alarm names are at most 255 characters; these stay short and readable. */
function alarmName(environment: string, accountName: string, preset: string, resource: string): string {
  const resourcePart = resource.replace(/[^A-Za-z0-9_.-]+/g, "-");
  return `${environment}-${accountName}-${preset}-${resourcePart}`.slice(0, 255);
}

export function alarmSpecs(environment: string, accountName: string, team: string, declarations: AlarmDeclaration[]): AlarmSpec[] {
  const specs = declarations.map((declaration) => {
    const preset: AlarmPreset = ALARM_PRESETS[declaration.preset];
    if (!preset) throw new Error(`unknown alarm preset "${declaration.preset}" (known: ${ALARM_PRESET_NAMES.join(", ")})`);
    const threshold = declaration.threshold ?? preset.threshold;
    const severity = declaration.severity ?? preset.severity;
    const sign = preset.comparison === "GreaterThanThreshold" ? ">" : "<";
    return {
      alarmName: alarmName(environment, accountName, declaration.preset, declaration.resource),
      description: `${preset.summary}: ${preset.metricName} of ${declaration.resource} ${sign} ${threshold} ${preset.unitHint} severity=${severity} team=${team}`,
      namespace: preset.namespace,
      metricName: preset.metricName,
      dimensions: { [preset.dimension]: declaration.resource },
      statistic: preset.statistic,
      periodSeconds: preset.periodSeconds,
      evaluationPeriods: preset.evaluationPeriods,
      datapointsToAlarm: preset.datapointsToAlarm,
      comparison: preset.comparison,
      threshold,
      treatMissingData: preset.treatMissingData,
    };
  });
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.alarmName)) throw new Error(`alarm "${spec.alarmName}" is declared twice: list each preset and resource once`);
    names.add(spec.alarmName);
  }
  return specs;
}
