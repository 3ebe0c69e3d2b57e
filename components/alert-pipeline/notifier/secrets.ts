/**
 * Destination credentials: where they come from (a SecretSource; in Lambda, Secrets Manager
 * through Powertools' SecretsProvider, see secrets-manager.ts), how long they are kept (cached
 * per container for DEFAULT_SECRET_TTL_MS), and what each destination
 * type expects inside its secret. Error messages name the secret and the missing key,
 * never the secret's content.
 */
import { DestinationType } from "./config";

export interface SecretSource {
  /** The SecretString of a secret, by ARN or name. */
  getSecretString(secretId: string): Promise<string>;
}

export interface CachedSecretSource extends SecretSource {
  /** Forget one secret (e.g. after the destination rejected it), so the next call fetches it again. */
  invalidate(secretId: string): void;
}

/** Default time a fetched secret is trusted before it is fetched again, so rotation takes effect. */
export const DEFAULT_SECRET_TTL_MS = 15 * 60 * 1000;

export interface SlackCredentials { webhookUrl: string }
export interface PagerDutyCredentials { routingKey: string; eventsUrl: string }
export interface JiraCredentials { baseUrl: string; email: string; apiToken: string }
export interface WebhookCredentials { url: string; headers: Record<string, string> }

export interface CredentialsByType {
  slack: SlackCredentials;
  pagerduty: PagerDutyCredentials;
  jira: JiraCredentials;
  webhook: WebhookCredentials;
}

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** Reads a destination's secret. Throws `CredentialsError` naming the secret and key, never the value. */
export function parseCredentials<T extends DestinationType>(type: T, secretString: string, secretId: string): CredentialsByType[T] {
  let raw: unknown;
  try {
    raw = JSON.parse(secretString);
  } catch {
    // JSON.parse quotes the input in its message: never let that reach a log.
    throw new CredentialsError(`secret ${secretId} is not a JSON object`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new CredentialsError(`secret ${secretId} is not a JSON object`);
  const secret = raw as Record<string, unknown>;
  const field = (key: string) => {
    const value = secret[key];
    if (typeof value !== "string" || value.trim() === "") throw new CredentialsError(`secret ${secretId} has no "${key}" for a ${type} destination`);
    return value.trim();
  };
  const url = (key: string) => {
    const value = field(key);
    if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new CredentialsError(`secret ${secretId} "${key}" is not an http(s) URL`);
    return value;
  };
  switch (type) {
    case "slack":
      return { webhookUrl: url("webhookUrl") } as CredentialsByType[T];
    case "pagerduty":
      return {
        routingKey: field("routingKey"),
        eventsUrl: secret.eventsUrl === undefined ? PAGERDUTY_EVENTS_URL : url("eventsUrl"),
      } as CredentialsByType[T];
    case "jira":
      return { baseUrl: url("baseUrl").replace(/\/+$/, ""), email: field("email"), apiToken: field("apiToken") } as CredentialsByType[T];
    case "webhook": {
      const headers: Record<string, string> = {};
      if (secret.headers !== undefined) {
        if (typeof secret.headers !== "object" || secret.headers === null || Array.isArray(secret.headers)) {
          throw new CredentialsError(`secret ${secretId} "headers" must be an object of strings`);
        }
        for (const [name, value] of Object.entries(secret.headers)) {
          if (typeof value !== "string") throw new CredentialsError(`secret ${secretId} header "${name}" must be a string`);
          headers[name] = value;
        }
      }
      return { url: url("url"), headers } as CredentialsByType[T];
    }
    default:
      throw new CredentialsError(`unknown destination type ${String(type)}`);
  }
}

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

/**
 * The strings of a secret that must never reach a log line: every value long enough to be
 * sensitive, plus derived forms (a webhook URL's path, a basic-auth header).
 */
export function sensitiveStringsOf(secretString: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(secretString);
  } catch {
    return secretString.length >= 6 ? [secretString] : [];
  }
  const out: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      if (value.length >= 6) out.push(value);
      const path = /^https?:\/\/[^/]+(\/.+)$/i.exec(value)?.[1];
      if (path && path.length >= 6) out.push(path);
    } else if (typeof value === "object" && value !== null) {
      Object.values(value).forEach(visit);
    }
  };
  visit(raw);
  const secret = raw as Record<string, unknown>;
  if (typeof secret?.email === "string" && typeof secret?.apiToken === "string") {
    out.push(Buffer.from(`${secret.email}:${secret.apiToken}`).toString("base64"));
  }
  return out;
}
