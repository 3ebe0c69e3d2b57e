/**
 * The notifier's non-secret configuration, passed as JSON in NOTIFIER_CONFIG. Credentials
 * never appear here: each destination names the Secrets Manager secret that holds them.
 */
import { ALERT_SOURCES, AlertSource, SEVERITIES, Severity } from "./alert";

export type DestinationType = "slack" | "pagerduty" | "jira" | "webhook";
export const DESTINATION_TYPES: readonly DestinationType[] = ["slack", "pagerduty", "jira", "webhook"];

export interface DestinationMatch {
  teams?: string[];
  severities?: Severity[];
  sources?: AlertSource[];
}

export interface DestinationConfig {
  name: string;
  type: DestinationType;
  secretArn: string;
  /** Every list given must contain the alert's value; an absent list matches everything. */
  match?: DestinationMatch;
  jira?: { projectKey: string; issueType: string };
}

export interface NotifierConfig {
  destinations: DestinationConfig[];
}

/** Parses and checks NOTIFIER_CONFIG; errors name the offending key. */
export function parseNotifierConfig(json: string | undefined, origin = "NOTIFIER_CONFIG"): NotifierConfig {
  if (json === undefined || json.trim() === "") throw new Error(`${origin} is not set: the notifier needs its destinations`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error(`${origin} is not valid JSON`);
  }
  return validateNotifierConfig(raw, origin);
}

export function validateNotifierConfig(raw: unknown, origin = "config"): NotifierConfig {
  const root = record(raw, origin);
  if (!Array.isArray(root.destinations) || root.destinations.length === 0) {
    throw new Error(`${origin}.destinations must be a non-empty list`);
  }
  const names = new Set<string>();
  const destinations = root.destinations.map((entry, index) => {
    const at = `${origin}.destinations[${index}]`;
    const destination = record(entry, at);
    const name = nonEmptyString(destination.name, `${at}.name`);
    if (names.has(name)) throw new Error(`${at}.name "${name}" is used twice; destination names must be unique`);
    names.add(name);
    const type = oneOf(destination.type, DESTINATION_TYPES, `${at}.type`);
    const parsed: DestinationConfig = { name, type, secretArn: nonEmptyString(destination.secretArn, `${at}.secretArn`) };
    if (destination.match !== undefined) parsed.match = readMatch(destination.match, `${at}.match`);
    if (type === "jira") {
      const jira = record(destination.jira, `${at}.jira`);
      parsed.jira = {
        projectKey: nonEmptyString(jira.projectKey, `${at}.jira.projectKey`),
        issueType: nonEmptyString(jira.issueType, `${at}.jira.issueType`),
      };
    }
    return parsed;
  });
  return { destinations };
}

function readMatch(raw: unknown, at: string): DestinationMatch {
  const match = record(raw, at);
  const out: DestinationMatch = {};
  if (match.teams !== undefined) out.teams = stringList(match.teams, `${at}.teams`);
  if (match.severities !== undefined) {
    out.severities = stringList(match.severities, `${at}.severities`).map((value, i) => oneOf(value, SEVERITIES, `${at}.severities[${i}]`));
  }
  if (match.sources !== undefined) {
    out.sources = stringList(match.sources, `${at}.sources`).map((value, i) => oneOf(value, ALERT_SOURCES, `${at}.sources[${i}]`));
  }
  return out;
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${at} must be an object`);
  return value as Record<string, unknown>;
}

function nonEmptyString(value: unknown, at: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${at} must be a non-empty string`);
  return value;
}

function stringList(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== "string")) {
    throw new Error(`${at} must be a non-empty list of strings (leave it out to match everything)`);
  }
  return value as string[];
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`${at} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}
