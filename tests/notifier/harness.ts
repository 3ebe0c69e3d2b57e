/** Wiring shared by the notifier tests: destinations pointed at the loopback sinks, secrets in memory, captured logs. */
import { NotifierConfig } from "../../components/alert-pipeline/notifier/config";
import { LogFields, Logger } from "../../components/alert-pipeline/notifier/logger";
import { SecretSource } from "../../components/alert-pipeline/notifier/secrets";
import { Sinks } from "../support/sinks";

export const SECRET_ARNS = {
  slack: "arn:aws:secretsmanager:eu-west-1:999999999999:secret:notifier/slack-AbCdEf",
  pagerduty: "arn:aws:secretsmanager:eu-west-1:999999999999:secret:notifier/pagerduty-AbCdEf",
  jira: "arn:aws:secretsmanager:eu-west-1:999999999999:secret:notifier/jira-AbCdEf",
  webhook: "arn:aws:secretsmanager:eu-west-1:999999999999:secret:notifier/webhook-AbCdEf",
};

export const PAGERDUTY_ROUTING_KEY = "R0UT1NGKEY0000000000000000000000";
export const JIRA_AUTH = { email: "alerts@example.com", apiToken: "jira-api-token-do-not-log" };
export const WEBHOOK_TOKEN = "Bearer webhook-token-do-not-log";

/** The secret strings as they would sit in Secrets Manager, keyed by ARN. */
export function sinkSecrets(sinks: Sinks): Record<string, string> {
  return {
    [SECRET_ARNS.slack]: JSON.stringify({ webhookUrl: sinks.urls.slack }),
    [SECRET_ARNS.pagerduty]: JSON.stringify({ routingKey: PAGERDUTY_ROUTING_KEY, eventsUrl: sinks.urls.pagerduty }),
    [SECRET_ARNS.jira]: JSON.stringify({ baseUrl: sinks.urls.jira, ...JIRA_AUTH }),
    [SECRET_ARNS.webhook]: JSON.stringify({ url: sinks.urls.webhook, headers: { authorization: WEBHOOK_TOKEN } }),
  };
}

export function memorySecretSource(secrets: Record<string, string>): SecretSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getSecretString(secretId) {
      calls.push(secretId);
      const value = secrets[secretId];
      if (value === undefined) throw Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: "ResourceNotFoundException" });
      return value;
    },
  };
}

/** Slack and the webhook get everything, PagerDuty pages on critical and error, Jira tickets the payments team. */
export function allDestinationsConfig(): NotifierConfig {
  return {
    destinations: [
      { name: "slack-alerts", type: "slack", secretArn: SECRET_ARNS.slack },
      { name: "pagerduty-oncall", type: "pagerduty", secretArn: SECRET_ARNS.pagerduty, match: { severities: ["critical", "error"] } },
      { name: "jira-payments", type: "jira", secretArn: SECRET_ARNS.jira, match: { teams: ["payments"] }, jira: { projectKey: "PAY", issueType: "Incident" } },
      { name: "audit-webhook", type: "webhook", secretArn: SECRET_ARNS.webhook },
    ],
  };
}

export interface CapturedLine {
  level: string;
  msg: string;
  fields: LogFields;
}

export function captureLogger(): Logger & { lines: CapturedLine[]; text(): string } {
  const lines: CapturedLine[] = [];
  const at = (level: string) => (msg: string, fields: LogFields = {}) => {
    lines.push({ level, msg, fields });
  };
  return { lines, text: () => JSON.stringify(lines), debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Instant sleeps that remember what was asked for. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; requested: number[] } {
  const requested: number[] = [];
  return { requested, sleep: async (ms) => void requested.push(ms) };
}
