/**
 * ECS container definitions of the self-hosted hub's tasks, as pure data. Every task starts
 * with a `config-loader` that copies the task's rendered files from the config bucket into a
 * task-local volume (no image of our own to build, and no size limit of the task definition
 * on rule files or per-account configuration); the main containers start after it succeeded.
 */

import { ACCOUNT_SYNC_SCRIPT } from "./account-sync";

/** Pinned images; upgrading one is a reviewed change here (README: operational duties). */
export const IMAGES = Object.freeze({
  configLoader: "public.ecr.aws/aws-cli/aws-cli:2.22.35",
  prometheus: "quay.io/prometheus/prometheus:v2.54.1",
  alertmanager: "quay.io/prometheus/alertmanager:v0.27.0",
  grafana: "docker.io/grafana/grafana-oss:11.6.0",
  cloudWatchExporter: "quay.io/prometheuscommunity/yet-another-cloudwatch-exporter:v0.61.2",
  node: "public.ecr.aws/docker/library/node:22-alpine",
});
export type Images = { [K in keyof typeof IMAGES]: string };

export const CONFIG_VOLUME = "config";
export const CONFIG_PATH = "/config";
export const DATA_VOLUME = "data";
/** Task-local volume the account sync writes the accounts' ingest tokens to and the proxy reads (Fargate ephemeral storage, encrypted at rest). */
export const TOKENS_VOLUME = "ingest-tokens";
export const TOKENS_PATH = "/ingest-tokens";

export interface LogSettings {
  logGroupName: string;
  region: string;
}

export interface ConfigFile {
  /** Object key in the config bucket. */
  objectKey: string;
  /** Path under /config in the containers (may contain directories). */
  fileName: string;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  [key: string]: unknown;
}

function logConfiguration(log: LogSettings, prefix: string): Record<string, unknown> {
  return { logDriver: "awslogs", options: { "awslogs-group": log.logGroupName, "awslogs-region": log.region, "awslogs-stream-prefix": prefix } };
}

const SAFE_PATH = /^[A-Za-z0-9._\/-]+$/;

function safe(value: string): string {
  if (!SAFE_PATH.test(value)) throw new Error(`"${value}" is not a safe bucket name, object key or file name (letters, digits, . _ / - only)`);
  return value;
}

/** Copies each file from the bucket; fails the task (and so the deployment) if any copy fails. */
export function configLoaderContainer(image: string, bucketName: string, files: ConfigFile[], log: LogSettings): ContainerDefinition {
  if (files.length === 0) throw new Error("A config loader with no files to copy");
  const copies = files.map((file) => `aws s3 cp --only-show-errors 's3://${safe(bucketName)}/${safe(file.objectKey)}' '${CONFIG_PATH}/${safe(file.fileName)}'`);
  return {
    name: "config-loader",
    image,
    essential: false,
    entryPoint: ["sh", "-c"],
    command: [["set -e", ...copies].join(" && ")],
    mountPoints: [{ sourceVolume: CONFIG_VOLUME, containerPath: CONFIG_PATH, readOnly: false }],
    logConfiguration: logConfiguration(log, "config-loader"),
  };
}

const AFTER_CONFIG = [{ containerName: "config-loader", condition: "SUCCESS" }];
const READ_CONFIG = { sourceVolume: CONFIG_VOLUME, containerPath: CONFIG_PATH, readOnly: true };

export interface SecretEnvironment {
  name: string;
  /** Secret ARN, optionally `:<json key>::` to pick one field. */
  valueFrom: string;
}

export interface MainContainer {
  name: string;
  image: string;
  command: string[];
  entryPoint?: string[];
  port?: number;
  /** Where the task's EFS access point is mounted. */
  dataPath?: string;
  /** Numeric uid:gid, matching the access point's POSIX user. */
  user?: string;
  environment?: Record<string, string>;
  secrets?: SecretEnvironment[];
  healthCheckCommand?: string;
  dependsOn?: { containerName: string; condition: "SUCCESS" | "HEALTHY" | "START" }[];
  /** Further volumes, e.g. the tokens volume (read-only) for the proxy. */
  mounts?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  /** False for a task that loads no files (no config loader to wait for). */
  loadsConfig?: boolean;
}

export function mainContainer(spec: MainContainer, log: LogSettings): ContainerDefinition {
  return {
    name: spec.name,
    image: spec.image,
    essential: true,
    ...(spec.entryPoint ? { entryPoint: spec.entryPoint } : {}),
    command: spec.command,
    ...(spec.user ? { user: spec.user } : {}),
    ...(spec.port ? { portMappings: [{ containerPort: spec.port, protocol: "tcp" }] } : {}),
    mountPoints: [...(spec.loadsConfig === false ? [] : [READ_CONFIG]), ...(spec.dataPath ? [{ sourceVolume: DATA_VOLUME, containerPath: spec.dataPath, readOnly: false }] : []), ...(spec.mounts ?? [])],
    environment: Object.entries(spec.environment ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
    secrets: [...(spec.secrets ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    dependsOn: [...(spec.loadsConfig === false ? [] : AFTER_CONFIG), ...(spec.dependsOn ?? [])],
    ...(spec.healthCheckCommand ? { healthCheck: { command: ["CMD-SHELL", spec.healthCheckCommand], interval: 30, timeout: 5, retries: 3, startPeriod: 60 } } : {}),
    readonlyRootFilesystem: false,
    logConfiguration: logConfiguration(log, spec.name),
  };
}

export interface AccountSyncContainer {
  image: string;
  /** `accountSyncEnvironment(...)`. */
  environment: Record<string, string>;
  secrets?: SecretEnvironment[];
  /** Writes the accounts' ingest tokens (the Prometheus task's sync). */
  writesTokens: boolean;
  /** When set, healthy once this file exists (after the first cycle). */
  readyFile?: string;
}

/**
 * The long-running `account-sync` container (`account-sync.ts`): writes under /config (the
 * accounts' prefixes) and, in the Prometheus task, the tokens volume. Essential: if its loop
 * ever ends, ECS replaces the task rather than let it run on with stale accounts.
 */
export function accountSyncContainer(spec: AccountSyncContainer, log: LogSettings): ContainerDefinition {
  return {
    name: "account-sync",
    image: spec.image,
    essential: true,
    entryPoint: ["sh", "-c"],
    command: [ACCOUNT_SYNC_SCRIPT],
    mountPoints: [
      { sourceVolume: CONFIG_VOLUME, containerPath: CONFIG_PATH, readOnly: false },
      ...(spec.writesTokens ? [{ sourceVolume: TOKENS_VOLUME, containerPath: TOKENS_PATH, readOnly: false }] : []),
    ],
    environment: Object.entries(spec.environment).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
    secrets: [...(spec.secrets ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    dependsOn: AFTER_CONFIG,
    ...(spec.readyFile ? { healthCheck: { command: ["CMD-SHELL", `test -f ${spec.readyFile}`], interval: 10, timeout: 5, retries: 3, startPeriod: 300 } } : {}),
    readonlyRootFilesystem: false,
    logConfiguration: logConfiguration(log, "account-sync"),
  };
}

/** A task's container definitions, as ECS takes them (JSON). Secrets appear only as ARNs. */
export function renderContainerDefinitions(containers: ContainerDefinition[]): string {
  const names = new Set<string>();
  for (const container of containers) {
    if (names.has(container.name)) throw new Error(`Two containers named ${container.name} in one task`);
    names.add(container.name);
  }
  return JSON.stringify(containers);
}
