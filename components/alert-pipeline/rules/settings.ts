/**
 * Every selector, threshold and pending duration the rules use, in one typed object with
 * defaults. Stacks accept a partial override from config (validated by
 * `ruleSettingsOverrideSchema`) and merge it with `resolveRuleSettings`; nobody edits the
 * rule files to tune a threshold for one account.
 */
import { NOT_PROBE_REQUESTS } from "../../shared/http-requests";
import { z } from "zod";

/** The four concerns; each renders as its own AMP rule group namespace. */
export const RULE_CONCERNS = ["kubernetes", "services", "collector", "amp-quota"] as const;
export type RuleConcern = (typeof RULE_CONCERNS)[number];

/** Rule group names, unique across concerns: the unit `disabledGroups` switches off. */
export const RULE_GROUP_NAMES = [
  "kubernetes-pods",
  "kubernetes-nodes",
  "kubernetes-storage",
  "service-red",
  "collector-health",
  "amp-quota",
] as const;
export type RuleGroupName = (typeof RULE_GROUP_NAMES)[number];

/** A Prometheus duration such as `90s`, `1h30m` or `0s`. */
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const DURATION_MESSAGE = "expected a Prometheus duration such as 30s, 5m or 1h30m";
export const durationSchema = z.string().min(1, DURATION_MESSAGE).regex(DURATION, DURATION_MESSAGE);
export type Duration = string;

/**
 * Label matchers (without braces) that pick each exporter's series. The defaults match the
 * job names of the collector's scrape configuration (components/workload-collector).
 */
export interface RuleSelectors {
  kubeStateMetrics: string;
  nodeExporter: string;
  /** Which node filesystems count (the root and data disks, not tmpfs or overlays). */
  nodeFilesystems: string;
  cadvisor: string;
  kubelet: string;
  /** The collector's own metrics (its self-scrape job). */
  collector: string;
  /** Which `up` series count as scrape targets for CollectorTargetDown. */
  scrapeTargets: string;
  /** Which series follow the HTTP RED convention (`http_requests_total`, `http_request_duration_seconds`). */
  httpServices: string;
}

export interface RuleThresholds {
  /** Container working set / memory limit. */
  containerMemoryNearLimitRatio: number;
  /** Throttled CFS periods / all periods. */
  cpuThrottlingRatio: number;
  nodeCpuUtilisationRatio: number;
  nodeMemoryUtilisationRatio: number;
  /** Free / size of a node filesystem below which it is almost full. */
  nodeFilesystemAvailableRatio: number;
  /** Pod requests / node allocatable, per cluster. */
  cpuRequestsCommitmentRatio: number;
  memoryRequestsCommitmentRatio: number;
  persistentVolumeAvailableCriticalRatio: number;
  persistentVolumeAvailableWarningRatio: number;
  /** The warning fires when the linear trend empties the volume within this many hours. */
  persistentVolumeFillPredictionHours: number;
  /** Availability objective of every HTTP service (0.999 = 99.9% non-5xx). */
  serviceAvailabilityObjective: number;
  /** Burn rates of the multi-window alerts (Google SRE workbook: 14.4 over 1h, 6 over 6h). */
  serviceFastBurnRate: number;
  serviceSlowBurnRate: number;
  /** Below this traffic, error-ratio and latency alerts stay quiet (too few requests to judge). */
  serviceMinRequestsPerSecond: number;
  serviceLatencyP95Seconds: number;
  /** Percentage of a job's targets down. */
  targetDownPercent: number;
  remoteWriteFailedRatio: number;
  remoteWriteLagSeconds: number;
  /** Fraction of an AMP quota at which the warning and the critical alert fire. */
  ampQuotaWarningRatio: number;
  ampQuotaCriticalRatio: number;
}

/** AMP's per-workspace quotas (adjustable: set the values the account really has). */
export interface AmpQuotas {
  activeSeries: number;
  ingestionSamplesPerSecond: number;
}

/** Stable identifiers of the alerting rules, used to key their pending (`for`) durations. */
export const ALERT_IDS = [
  "KubePodCrashLooping",
  "KubePodNotReady",
  "KubeContainerOOMKilled",
  "KubeContainerWaiting",
  "KubeDeploymentReplicasMismatch",
  "KubeJobFailed",
  "KubeContainerMemoryNearLimit",
  "KubeCPUThrottlingHigh",
  "KubeNodeNotReady",
  "KubeNodePressure",
  "NodeCPUSaturated",
  "NodeMemorySaturated",
  "NodeFilesystemAlmostFull",
  "KubeCPURequestsCommitmentHigh",
  "KubeMemoryRequestsCommitmentHigh",
  "KubePersistentVolumeFillingUp:critical",
  "KubePersistentVolumeFillingUp:warning",
  "KubePersistentVolumeErrors",
  "ServiceErrorBudgetBurn:critical",
  "ServiceErrorBudgetBurn:warning",
  "ServiceLatencyP95High",
  "ServiceNoTraffic",
  "CollectorAbsent",
  "CollectorClusterStoppedReporting",
  "CollectorTargetDown",
  "CollectorRemoteWriteFailing",
  "CollectorRemoteWriteBehind",
  "CollectorRemoteWriteDesiredShardsHigh",
  "CollectorSamplesDropped",
  "CollectorConfigReloadFailed",
  "AmpActiveSeriesNearQuota:critical",
  "AmpActiveSeriesNearQuota:warning",
  "AmpIngestionRateNearQuota:critical",
  "AmpIngestionRateNearQuota:warning",
  "AmpActiveSeriesQuotaExhaustionPredicted",
] as const;
export type AlertId = (typeof ALERT_IDS)[number];

export interface RuleSettings {
  /** Value of the `team` label on every alert, unless `teams` names another team for its concern. */
  team: string;
  teams: Partial<Record<RuleConcern, string>>;
  /** `runbook_url` is this base followed by `#<alertname in lower case>`. */
  runbookBaseUrl: string;
  /** Evaluation interval of every rule group. */
  evaluationInterval: Duration;
  disabledGroups: RuleGroupName[];
  selectors: RuleSelectors;
  thresholds: RuleThresholds;
  /** How long each alert's condition must hold before it fires (the rule's `for`). */
  pending: Record<AlertId, Duration>;
  quotas: AmpQuotas;
  /**
   * The collector's scrape interval in seconds. AMP does not expose its active-series count
   * as a metric, so the quota rules estimate it as shipped samples per second times this.
   */
  collectorScrapeIntervalSeconds: number;
  /** A series seen in this window but not now means a cluster's collector went quiet. */
  collectorSilenceWindow: Duration;
}

/** Where the runbook of every alert lives (one section per alert, anchored by its name). */
export const DEFAULT_RUNBOOK_BASE_URL =
  "https://github.com/aws-multi-account-observability/aws-multi-account-observability/blob/main/components/alert-pipeline/rules/RUNBOOKS.md";

export const DEFAULT_RULE_SETTINGS: RuleSettings = Object.freeze({
  team: "platform",
  teams: { collector: "observability", "amp-quota": "observability" },
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  evaluationInterval: "1m",
  disabledGroups: [],
  selectors: {
    kubeStateMetrics: 'job="kube-state-metrics"',
    nodeExporter: 'job="node-exporter"',
    nodeFilesystems: 'fstype=~"ext[34]|xfs|btrfs"',
    cadvisor: 'job="cadvisor"',
    kubelet: 'job="kubelet"',
    collector: 'job="prometheus"',
    scrapeTargets: 'job!=""',
    httpServices: `service!="", ${NOT_PROBE_REQUESTS}`,
  },
  thresholds: {
    containerMemoryNearLimitRatio: 0.9,
    cpuThrottlingRatio: 0.25,
    nodeCpuUtilisationRatio: 0.9,
    nodeMemoryUtilisationRatio: 0.9,
    nodeFilesystemAvailableRatio: 0.1,
    cpuRequestsCommitmentRatio: 0.9,
    memoryRequestsCommitmentRatio: 0.9,
    persistentVolumeAvailableCriticalRatio: 0.03,
    persistentVolumeAvailableWarningRatio: 0.15,
    persistentVolumeFillPredictionHours: 96,
    serviceAvailabilityObjective: 0.999,
    serviceFastBurnRate: 14.4,
    serviceSlowBurnRate: 6,
    serviceMinRequestsPerSecond: 0.1,
    serviceLatencyP95Seconds: 0.5,
    targetDownPercent: 10,
    remoteWriteFailedRatio: 0.01,
    remoteWriteLagSeconds: 120,
    ampQuotaWarningRatio: 0.8,
    ampQuotaCriticalRatio: 0.95,
  },
  pending: {
    KubePodCrashLooping: "15m",
    KubePodNotReady: "15m",
    KubeContainerOOMKilled: "0s",
    KubeContainerWaiting: "1h",
    KubeDeploymentReplicasMismatch: "15m",
    KubeJobFailed: "15m",
    KubeContainerMemoryNearLimit: "15m",
    KubeCPUThrottlingHigh: "15m",
    KubeNodeNotReady: "15m",
    KubeNodePressure: "10m",
    NodeCPUSaturated: "30m",
    NodeMemorySaturated: "15m",
    NodeFilesystemAlmostFull: "30m",
    KubeCPURequestsCommitmentHigh: "10m",
    KubeMemoryRequestsCommitmentHigh: "10m",
    "KubePersistentVolumeFillingUp:critical": "1m",
    "KubePersistentVolumeFillingUp:warning": "1h",
    KubePersistentVolumeErrors: "5m",
    "ServiceErrorBudgetBurn:critical": "2m",
    "ServiceErrorBudgetBurn:warning": "15m",
    ServiceLatencyP95High: "10m",
    ServiceNoTraffic: "10m",
    CollectorAbsent: "5m",
    CollectorClusterStoppedReporting: "5m",
    CollectorTargetDown: "10m",
    CollectorRemoteWriteFailing: "15m",
    CollectorRemoteWriteBehind: "15m",
    CollectorRemoteWriteDesiredShardsHigh: "15m",
    CollectorSamplesDropped: "10m",
    CollectorConfigReloadFailed: "10m",
    "AmpActiveSeriesNearQuota:critical": "10m",
    "AmpActiveSeriesNearQuota:warning": "30m",
    "AmpIngestionRateNearQuota:critical": "5m",
    "AmpIngestionRateNearQuota:warning": "15m",
    AmpActiveSeriesQuotaExhaustionPredicted: "1h",
  },
  // AMP's default quotas per workspace; raise them here when AWS raised them for the account.
  quotas: { activeSeries: 10_000_000, ingestionSamplesPerSecond: 170_000 },
  collectorScrapeIntervalSeconds: 30,
  collectorSilenceWindow: "1h",
});

const ratio = z.number().min(0).max(1);
const positive = z.number().positive();

const thresholdsSchema = z
  .object({
    containerMemoryNearLimitRatio: ratio.describe("Container working set / memory limit above which KubeContainerMemoryNearLimit fires."),
    cpuThrottlingRatio: ratio.describe("Throttled CFS periods / all periods above which KubeCPUThrottlingHigh fires."),
    nodeCpuUtilisationRatio: ratio.describe("Node CPU utilisation above which NodeCPUSaturated fires."),
    nodeMemoryUtilisationRatio: ratio.describe("Node memory utilisation above which NodeMemorySaturated fires."),
    nodeFilesystemAvailableRatio: ratio.describe("Free / size of a node filesystem below which it is almost full (NodeFilesystemAlmostFull)."),
    cpuRequestsCommitmentRatio: positive.describe("Pod CPU requests / node allocatable, per cluster, above which KubeCPURequestsCommitmentHigh fires."),
    memoryRequestsCommitmentRatio: positive.describe("Pod memory requests / node allocatable, per cluster, above which KubeMemoryRequestsCommitmentHigh fires."),
    persistentVolumeAvailableCriticalRatio: ratio.describe("Free / capacity of a persistent volume below which the critical KubePersistentVolumeFillingUp fires; must be below the warning ratio."),
    persistentVolumeAvailableWarningRatio: ratio.describe("Free / capacity of a persistent volume below which the warning KubePersistentVolumeFillingUp may fire (with the fill prediction)."),
    persistentVolumeFillPredictionHours: positive.describe("The warning fires when the linear trend empties the volume within this many hours."),
    serviceAvailabilityObjective: z.number().gt(0).lt(1).describe("Availability objective of every HTTP service (0.999 = 99.9% non-5xx responses)."),
    serviceFastBurnRate: positive.describe("Error-budget burn rate of the critical multi-window alert (Google SRE workbook: 14.4 over 1h)."),
    serviceSlowBurnRate: positive.describe("Error-budget burn rate of the warning multi-window alert (Google SRE workbook: 6 over 6h)."),
    serviceMinRequestsPerSecond: z.number().min(0).describe("Below this traffic, error-ratio and latency alerts stay quiet (too few requests to judge)."),
    serviceLatencyP95Seconds: positive.describe("95th percentile request latency above which ServiceLatencyP95High fires."),
    targetDownPercent: z.number().min(0).max(100).describe("Percentage of a job's scrape targets down above which CollectorTargetDown fires."),
    remoteWriteFailedRatio: ratio.describe("Failed / sent remote-write samples above which CollectorRemoteWriteFailing fires."),
    remoteWriteLagSeconds: positive.describe("Remote-write lag behind the newest sample above which CollectorRemoteWriteBehind fires."),
    ampQuotaWarningRatio: ratio.describe("Fraction of an AMP quota at which the warning fires; must be below the critical ratio."),
    ampQuotaCriticalRatio: ratio.describe("Fraction of an AMP quota at which the critical alert fires."),
  })
  .strict()
  .partial();

const selectorValue = z
  .string()
  .min(1)
  .refine((value) => !/[{}]/.test(value), { message: "write the matchers without braces, e.g. job=\"node-exporter\"" });

const selectorsSchema = z
  .object({
    kubeStateMetrics: selectorValue.describe("Label matchers (without braces) of kube-state-metrics' series."),
    nodeExporter: selectorValue.describe("Label matchers of node-exporter's series."),
    nodeFilesystems: selectorValue.describe("Which node filesystems count (the root and data disks, not tmpfs or overlays)."),
    cadvisor: selectorValue.describe("Label matchers of cAdvisor's series."),
    kubelet: selectorValue.describe("Label matchers of the kubelet's series."),
    collector: selectorValue.describe("The collector's own metrics (its self-scrape job)."),
    scrapeTargets: selectorValue.describe("Which `up` series count as scrape targets for CollectorTargetDown."),
    httpServices: selectorValue.describe("Which series follow the HTTP RED convention (`http_requests_total`, `http_request_duration_seconds`)."),
  })
  .strict()
  .partial();

const alertIdSchema = z.enum(ALERT_IDS);
const labelValue = z.string().min(1).max(128);
const concernTeam = (concern: RuleConcern) => labelValue.describe(`Team of the alerts of the \`${concern}\` rule group namespace.`);

/** What a stack's config may say about the rules of one account (every key optional). */
export const ruleSettingsOverrideSchema = z
  .object({
    team: labelValue.describe("Value of the `team` label on every alert, unless `teams` names another team for its concern."),
    teams: z.object({ kubernetes: concernTeam("kubernetes"), services: concernTeam("services"), collector: concernTeam("collector"), "amp-quota": concernTeam("amp-quota") }).strict().partial()
      .describe("Team per rule concern (each concern is its own rule group namespace)."),
    runbookBaseUrl: z.string().url().describe("Where the runbooks live: each alert's `runbook_url` is this base followed by `#<alertname in lower case>`."),
    evaluationInterval: durationSchema.describe("Evaluation interval of every rule group."),
    disabledGroups: z.array(z.enum(RULE_GROUP_NAMES)).describe("Rule groups switched off for this account."),
    selectors: selectorsSchema.describe("Label matchers (without braces) that pick each exporter's series; the defaults match the job names of the collector's scrape configuration."),
    thresholds: thresholdsSchema.describe("The thresholds of the alerting rules."),
    pending: z.record(alertIdSchema, durationSchema.describe("How long the alert's condition must hold before it fires (the rule's `for`)."))
      .describe("How long each alert's condition must hold before it fires (the rule's `for`), per alert."),
    quotas: z.object({
      activeSeries: positive.int().describe("AMP's active-series quota per workspace (adjustable: set the value the account really has)."),
      ingestionSamplesPerSecond: positive.describe("AMP's ingestion-rate quota per workspace, in samples per second (adjustable)."),
    }).strict().partial().describe("AMP's per-workspace quotas the quota alerts compare usage with."),
    collectorScrapeIntervalSeconds: positive.describe("The collector's scrape interval in seconds: AMP does not expose its active-series count as a metric, so the quota rules estimate it as shipped samples per second times this. Defaults to the account's `collector.scrapeInterval`."),
    collectorSilenceWindow: durationSchema.describe("A series seen in this window but not now means a cluster's collector went quiet."),
  })
  .strict()
  .partial()
  .describe("Overrides of the alerting rules for this account's workspace (disable a group, change a threshold); nobody edits the rule files to tune one account.");

export type RuleSettingsOverride = z.infer<typeof ruleSettingsOverrideSchema>;

/**
 * Defaults merged with an override (validated first). `where` names the config key in
 * errors, e.g. `alerting.rules` of stack `dev`.
 */
export function resolveRuleSettings(override: unknown = {}, where = "rule settings"): RuleSettings {
  const parsed = ruleSettingsOverrideSchema.safeParse(override);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${[where, ...issue.path].join(".")}: ${issue.message}`);
    throw new Error(`Invalid alerting rule settings:\n  ${problems.join("\n  ")}`);
  }
  const o = parsed.data;
  const d = DEFAULT_RULE_SETTINGS;
  const settings: RuleSettings = {
    team: o.team ?? d.team,
    teams: { ...d.teams, ...o.teams },
    runbookBaseUrl: o.runbookBaseUrl ?? d.runbookBaseUrl,
    evaluationInterval: o.evaluationInterval ?? d.evaluationInterval,
    disabledGroups: [...new Set(o.disabledGroups ?? d.disabledGroups)],
    selectors: { ...d.selectors, ...o.selectors },
    thresholds: { ...d.thresholds, ...o.thresholds },
    pending: { ...d.pending, ...o.pending },
    quotas: { ...d.quotas, ...o.quotas },
    collectorScrapeIntervalSeconds: o.collectorScrapeIntervalSeconds ?? d.collectorScrapeIntervalSeconds,
    collectorSilenceWindow: o.collectorSilenceWindow ?? d.collectorSilenceWindow,
  };
  const t = settings.thresholds;
  if (t.persistentVolumeAvailableCriticalRatio >= t.persistentVolumeAvailableWarningRatio) {
    throw new Error(`${where}.thresholds: persistentVolumeAvailableCriticalRatio must be below persistentVolumeAvailableWarningRatio`);
  }
  if (t.ampQuotaWarningRatio >= t.ampQuotaCriticalRatio) {
    throw new Error(`${where}.thresholds: ampQuotaWarningRatio must be below ampQuotaCriticalRatio`);
  }
  return settings;
}
