/**
 * Configuration of the CloudWatch exporter (YACE, yet-another-cloudwatch-exporter) that
 * brings the workload accounts' AWS service metrics (SQS, Lambda, RDS, DynamoDB, ALB) into
 * the central Prometheus. Built from the same alarm declarations the accounts already have:
 * one static job per watched resource, the preset's metrics and statistics, read through
 * the account's existing CloudWatch read role, tagged with the account name.
 *
 * Each account's jobs are its hub stack's file (`renderAccountCloudWatchJobs`); the exporter's
 * account sync assembles them under the shared header (`cloudWatchExporterHeader`) into the one
 * file YACE reads, and has YACE reload it, so a new account changes nothing in the shared stack.
 */
import { stringify } from "yaml";
import { ALARM_PRESETS, AlarmPresetName } from "../alert-pipeline/workload/presets";

/** YACE exports a custom tag `account` as this label; the central Prometheus renames it to `account`. */
export const CLOUDWATCH_ACCOUNT_TAG_LABEL = "custom_tag_account";

export interface CloudWatchAccount {
  name: string;
  /** The account's CloudWatch read role (the one Grafana assumes on the managed backend). */
  cloudWatchReadRoleArn: string;
  alarms: { preset: AlarmPresetName; resource: string }[];
}

export interface CloudWatchExporterSettings {
  region: string;
  accounts: CloudWatchAccount[];
}

interface StaticJob {
  name: string;
  namespace: string;
  regions: string[];
  roles: { roleArn: string }[];
  customTags: { key: string; value: string }[];
  dimensions: { name: string; value: string }[];
  metrics: { name: string; statistics: string[]; period: number; length: number; nilToZero?: boolean }[];
}

/** One static job per (account, namespace, resource); several presets on one resource share it. */
export function cloudWatchExporterConfig(settings: CloudWatchExporterSettings): Record<string, unknown> {
  const jobs = new Map<string, StaticJob>();
  for (const account of [...settings.accounts].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const alarm of account.alarms) {
      const preset = ALARM_PRESETS[alarm.preset];
      const key = `${account.name}|${preset.namespace}|${preset.dimension}|${alarm.resource}`;
      let job = jobs.get(key);
      if (!job) {
        job = {
          name: `${account.name}-${preset.namespace.replace(/^AWS\//, "").toLowerCase()}-${alarm.resource}`.slice(0, 200),
          namespace: preset.namespace,
          regions: [settings.region],
          roles: [{ roleArn: account.cloudWatchReadRoleArn }],
          customTags: [{ key: "account", value: account.name }],
          dimensions: [{ name: preset.dimension, value: alarm.resource }],
          metrics: [],
        };
        jobs.set(key, job);
      }
      const existing = job.metrics.find((metric) => metric.name === preset.metricName);
      if (existing) {
        if (!existing.statistics.includes(preset.statistic)) existing.statistics.push(preset.statistic);
        continue;
      }
      job.metrics.push({
        name: preset.metricName,
        statistics: [preset.statistic],
        period: preset.periodSeconds,
        length: preset.periodSeconds,
        // Counters report nothing when nothing happened: 0, as the alarm treats missing data.
        ...(preset.treatMissingData === "notBreaching" ? { nilToZero: true } : {}),
      });
    }
  }
  return { apiVersion: "v1alpha1", "sts-region": settings.region, static: [...jobs.values()] };
}

export function renderCloudWatchExporterConfig(settings: CloudWatchExporterSettings): string {
  return stringify(cloudWatchExporterConfig(settings), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The CloudWatch read roles the exporter's task role may assume (exactly those, nothing else). */
export function cloudWatchReadRoles(settings: CloudWatchExporterSettings): string[] {
  return [...new Set(settings.accounts.filter((account) => account.alarms.length > 0).map((account) => account.cloudWatchReadRoleArn))].sort();
}

/** The shared part of the exporter's file; the accounts' job lists follow it. */
export function cloudWatchExporterHeader(region: string): string {
  return `${stringify({ apiVersion: "v1alpha1", "sts-region": region }, { lineWidth: 0 })}static:\n`;
}

/** One account's static jobs, as the items of `static:` (empty when it has no alarm presets). */
export function renderAccountCloudWatchJobs(region: string, account: CloudWatchAccount): string {
  const jobs = cloudWatchExporterConfig({ region, accounts: [account] }).static as unknown[];
  return jobs.length === 0 ? "" : stringify(jobs, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface ExporterAssembly {
  headerFile: string;
  jobsDirectory: string;
  configFile: string;
  /** YACE's address on the task's loopback (it reloads on POST /reload). */
  exporterAddress: string;
}

/**
 * The account sync's ON_CHANGE in the exporter task: header + every account's jobs into the config
 * file (whole or not at all), then YACE's reload. With no account's jobs yet, no file is written
 * (YACE refuses a config without jobs) and the exporter waits for one.
 */
export function cloudWatchExporterAssembleCommand(assembly: ExporterAssembly): string {
  return [
    `set -- ${assembly.jobsDirectory}/*.yml`,
    'if [ ! -e "$1" ]; then exit 0; fi',
    [`cat ${assembly.headerFile} "$@" > ${assembly.configFile}.partial`, `mv ${assembly.configFile}.partial ${assembly.configFile}`, `curl -fsS -X POST http://${assembly.exporterAddress}/reload`].join(" && "),
  ].join("; ");
}

/** The exporter's command: wait for the first assembled file, then run YACE on it. */
export function cloudWatchExporterWaitingCommand(configFile: string, listenAddress: string): string {
  return `until [ -s ${configFile} ]; do sleep 10; done; exec yace -config.file=${configFile} -listen-address=${listenAddress}`;
}

