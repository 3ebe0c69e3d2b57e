/**
 * Runtime and logging of the notifier Lambda. `nodejs20.x` is deprecated; the Node 22
 * runtime ships AWS SDK v3 as 20 did. With the JSON log format Lambda drops application
 * records below `applicationLogLevel` (INFO when unset), so the configured level is passed
 * to Lambda as well as to the handler: a `debug` setting must reach CloudWatch.
 */
import { LogLevel } from "../notifier/logger";

export const NOTIFIER_RUNTIME = "nodejs22.x";
/** esbuild target matching the runtime. */
export const NOTIFIER_BUNDLE_TARGET = "node22";

/** Lambda's application log levels, most verbose first. */
export const LAMBDA_LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
export type LambdaLogLevel = (typeof LAMBDA_LOG_LEVELS)[number];

export function lambdaLogLevel(level: LogLevel): LambdaLogLevel {
  return level.toUpperCase() as LambdaLogLevel;
}

export function notifierLoggingConfig<G>(level: LogLevel, logGroup: G) {
  return {
    logFormat: "JSON" as const,
    logGroup,
    applicationLogLevel: lambdaLogLevel(level),
    // START/END/REPORT records: enough to see durations and timeouts.
    systemLogLevel: "INFO" as const,
  };
}
