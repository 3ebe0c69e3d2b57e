/** Structured JSON logs, one object per line (what CloudWatch Logs Insights reads best), with secrets scrubbed. */
import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const LOG_LEVELS: readonly string[] = ["debug", "info", "warn", "error"] satisfies LogLevel[];

export function parseLogLevel(value: string | undefined): LogLevel {
  const level = (value ?? "").toLowerCase();
  return LOG_LEVELS.includes(level) ? (level as LogLevel) : "info";
}

/** Keys the Powertools logger owns: a field with one of these names is kept as `field_<name>` instead of being dropped. */
const RESERVED_KEYS = new Set(["level", "message", "timestamp", "service", "sampling_rate"]);

export const DEFAULT_SERVICE_NAME = "alert-notifier";

/**
 * The Lambda's logger: Powertools for AWS Lambda's Logger, one JSON object per line,
 * `{"level":"INFO","message":...,"timestamp":...,"service":...,...fields}`. With the
 * function's JSON log format Lambda filters such lines by their `level` and reads
 * `timestamp` (RFC 3339: UTC `...Z`, or with the offset of a non-UTC `TZ`); a line without a
 * valid timestamp would be treated as INFO.
 *
 * The level is `level` (from LOG_LEVEL), unless Lambda's own AWS_LAMBDA_LOG_LEVEL (advanced
 * logging controls) is set: Powertools then follows Lambda's, so it never writes a line Lambda
 * drops, and warns once if LOG_LEVEL asked for more. Warnings and errors go to stderr, the rest
 * to stdout. Secrets are not this logger's concern: wrap it in `redactingLogger`.
 */
export function powertoolsLogger(options: { level?: LogLevel; serviceName?: string } = {}): Logger {
  const inner = new PowertoolsLogger({
    logLevel: (options.level ?? "info").toUpperCase() as Uppercase<LogLevel>,
    serviceName: options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
  });
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (fields === undefined) return inner[level](message);
    const safe: LogFields = {};
    for (const [key, value] of Object.entries(fields)) safe[RESERVED_KEYS.has(key) ? `field_${key}` : key] = value;
    inner[level](message, safe);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** Known secret strings; anything logged through `redactingLogger` has them replaced. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  add(values: string[]): void {
    for (const value of values) if (value.length > 0) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  }

  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.redact(value);
    if (depth > 8 || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.redactValue(item, depth + 1);
    return out;
  }
}

export function redactingLogger(inner: Logger, redactor: SecretRedactor): Logger {
  const wrap = (method: (message: string, fields?: LogFields) => void) => (message: string, fields?: LogFields) =>
    method(redactor.redact(message), fields === undefined ? undefined : (redactor.redactValue(fields) as LogFields));
  return {
    debug: wrap(inner.debug.bind(inner)),
    info: wrap(inner.info.bind(inner)),
    warn: wrap(inner.warn.bind(inner)),
    error: wrap(inner.error.bind(inner)),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
