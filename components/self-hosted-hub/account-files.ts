/**
 * Where an account's own files live in the hub's config bucket, and what they are. Each
 * account's hub stack (`<env>-hub-<account>`) writes them; the central tasks' account sync
 * keeps task-local copies of the prefixes (`account-sync.ts`). The shared hub stack writes
 * nothing here per account, so it stays the same size at any number of accounts.
 *
 *   prometheus/accounts/<account>/ingest-secret-name        that the account exists (its token is fetched)
 *   prometheus/rules/<account>-<namespace>.yml                its rule files (its thresholds, team)
 *   cloudwatch-exporter/jobs/<account>.yml                    its CloudWatch exporter jobs (alarm presets only)
 *
 * Rule files sit in one flat prefix because Prometheus accepts a wildcard only in the last part
 * of a `rule_files` path (`/config/rules/*.yml`); Grafana's data source files likewise, because
 * it reads one directory of them.
 */
import { RuleSettings } from "../alert-pipeline/rules";
import { AlarmPresetName } from "../alert-pipeline/workload/presets";
import { renderAccountCloudWatchJobs } from "./cloudwatch-exporter-config";
import { accountRuleFiles } from "./prometheus-config";

/** Bucket prefix whose sub-directories are the accounts (the Prometheus task's sync reads it, and fetches each one's token). */
export const ACCOUNTS_PREFIX = "prometheus/accounts/";
export const RULES_PREFIX = "prometheus/rules/";
export const CLOUDWATCH_JOBS_PREFIX = "cloudwatch-exporter/jobs/";

/** Where the Prometheus task keeps its copies of the accounts and rules prefixes. */
export const ACCOUNTS_DIRECTORY = "/config/accounts";
export const RULES_DIRECTORY = "/config/rules";
export const ACCOUNT_RULE_FILES_GLOB = `${RULES_DIRECTORY}/*.yml`;

/** Secrets Manager name prefix of an environment's ingest credentials; the account's secret is `<prefix><account>`. */
export function ingestSecretNamePrefix(environment: string): string {
  return `observability/${environment}/self-hosted/ingest/`;
}

export interface AccountFileSettings {
  environment: string;
  account: string;
  rules: RuleSettings;
  region: string;
  /** The account's CloudWatch read role, which the hub's exporter assumes. */
  cloudWatchReadRoleArn: string;
  alarms: { preset: AlarmPresetName; resource: string }[];
}

/** Object key -> content: everything of one account the central tasks load. */
export function accountConfigObjects(settings: AccountFileSettings): Record<string, string> {
  const { account } = settings;
  const objects: Record<string, string> = {};
  objects[`${ACCOUNTS_PREFIX}${account}/ingest-secret-name`] = `${ingestSecretNamePrefix(settings.environment)}${account}\n`;
  for (const file of accountRuleFiles(account, settings.rules)) objects[`${RULES_PREFIX}${file.fileName}`] = file.text;
  const jobs = renderAccountCloudWatchJobs(settings.region, { name: account, cloudWatchReadRoleArn: settings.cloudWatchReadRoleArn, alarms: settings.alarms });
  if (jobs !== "") objects[`${CLOUDWATCH_JOBS_PREFIX}${account}.yml`] = jobs;
  return objects;
}
