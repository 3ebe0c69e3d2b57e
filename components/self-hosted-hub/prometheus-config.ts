/**
 * The central Prometheus of the self-hosted hub: remote-write receiver (behind the ingest
 * proxy), the project's rule groups as rule files, alerts to the hub's Alertmanager, the
 * CloudWatch exporter scraped with its `account` tag turned into the `account` label, and
 * optional federation of workloads that expose `/federate` instead of writing.
 */
import { stringify } from "yaml";
import { RULE_CONCERNS, RULE_NAMESPACE_NAMES, renderGroups, ruleGroups, RuleSettings } from "../alert-pipeline/rules";
import { scopeQueryToAccount } from "./ingest-proxy/promql-scope";
import { allowlistRegex } from "../workload-collector/remote-write-filter";
import { ACCOUNT_LABEL } from "./ingest-proxy/account-scope";
import { CLOUDWATCH_ACCOUNT_TAG_LABEL } from "./cloudwatch-exporter-config";

export interface FederatedWorkload {
  account: string;
  /** `https://<host>` of the workload's own authenticated endpoint that serves `/federate`. */
  federateUrl: string;
  /** File holding the bearer token for that endpoint (mounted from Secrets Manager). */
  bearerTokenFile: string;
}

export interface CentralPrometheusSettings {
  scrapeInterval: string;
  /** Where the server itself listens (its own metrics are scraped there): `127.0.0.1:9090` in the task. */
  selfAddress: string;
  /**
   * `account` label of the hub's own series (self-scrape): the collector rules aggregate by
   * `account` and `cluster`, so an alert about the hub itself names it instead of being blank.
   */
  hubAccountLabel: string;
  evaluationInterval: string;
  /** Directory the rule files are written to in the container. */
  ruleDir: string;
  /** Globs of rule files that appear while the server runs (the accounts' own, kept by the account sync). */
  ruleFileGlobs?: string[];
  /** `host:port` of each Alertmanager (one per independent Alertmanager). */
  alertmanagers: string[];
  /** `host:port` of the CloudWatch exporter, when one runs. */
  cloudWatchExporter?: string;
  federation: FederatedWorkload[];
  /** Metric names pulled by federation (the collector's allow-list). */
  federationAllowlist: readonly string[];
}

/** AMP-only rules (AMP's own quotas) have nothing to measure on a self-hosted hub. */
export const AMP_ONLY_RULE_GROUPS = ["amp-quota"] as const;

export interface RuleFile {
  fileName: string;
  text: string;
}

/**
 * One account's rules on the central server: the account's own settings (team, thresholds,
 * disabled groups), every expression confined to `account="<account>"` so its thresholds and
 * team apply to its series only; one file per concern, named after the account.
 */
export function accountRuleFiles(account: string, settings: RuleSettings): RuleFile[] {
  const selfHosted = { ...settings, disabledGroups: [...new Set([...settings.disabledGroups, ...AMP_ONLY_RULE_GROUPS])] } as RuleSettings;
  return RULE_CONCERNS.flatMap((concern) => {
    const groups = ruleGroups(selfHosted, concern).map((group) => ({
      ...group,
      rules: group.rules.map((rule) => ({ ...rule, expr: scopeQueryToAccount(rule.expr, account) })),
    }));
    return groups.length === 0 ? [] : [{ fileName: `${account}-${RULE_NAMESPACE_NAMES[concern]}.yml`, text: renderGroups(groups) }];
  });
}

function federationJob(workload: FederatedWorkload, allowlist: readonly string[]): Record<string, unknown> {
  const url = new URL(workload.federateUrl);
  return {
    job_name: `federate-${workload.account}`,
    honor_labels: true,
    metrics_path: "/federate",
    params: { "match[]": [`{__name__=~"${allowlistRegex(allowlist)}"}`] },
    scheme: url.protocol.replace(":", ""),
    authorization: { credentials_file: workload.bearerTokenFile },
    static_configs: [{ targets: [url.host] }],
    // Whatever the workload exposes, what is stored is labelled with the account it was pulled from.
    metric_relabel_configs: [{ target_label: ACCOUNT_LABEL, replacement: workload.account, action: "replace" }],
  };
}

export function centralPrometheusConfig(settings: CentralPrometheusSettings, ruleFiles: RuleFile[]): Record<string, unknown> {
  if (settings.alertmanagers.length === 0) throw new Error("The central Prometheus needs at least one Alertmanager: alerts would go nowhere");
  const scrapeConfigs: Record<string, unknown>[] = [
    { job_name: "prometheus", static_configs: [{ targets: [settings.selfAddress], labels: { [ACCOUNT_LABEL]: settings.hubAccountLabel, cluster: "hub" } }] },
  ];
  if (settings.cloudWatchExporter) {
    scrapeConfigs.push({
      job_name: "cloudwatch-exporter",
      // The exporter polls CloudWatch on its own schedule; scraping more often only repeats values.
      scrape_interval: "60s",
      scrape_timeout: "50s",
      honor_labels: true,
      static_configs: [{ targets: [settings.cloudWatchExporter] }],
      metric_relabel_configs: [
        { source_labels: [CLOUDWATCH_ACCOUNT_TAG_LABEL], regex: "(.+)", target_label: ACCOUNT_LABEL, replacement: "$1", action: "replace" },
        { regex: CLOUDWATCH_ACCOUNT_TAG_LABEL, action: "labeldrop" },
      ],
    });
  }
  scrapeConfigs.push(...settings.federation.map((workload) => federationJob(workload, settings.federationAllowlist)));
  return {
    global: { scrape_interval: settings.scrapeInterval, evaluation_interval: settings.evaluationInterval },
    rule_files: [...ruleFiles.map((file) => `${settings.ruleDir}/${file.fileName}`), ...(settings.ruleFileGlobs ?? [])],
    alerting: { alertmanagers: [{ static_configs: [{ targets: settings.alertmanagers }] }] },
    scrape_configs: scrapeConfigs,
  };
}

export function renderCentralPrometheusConfig(settings: CentralPrometheusSettings, ruleFiles: RuleFile[]): string {
  return stringify(centralPrometheusConfig(settings, ruleFiles), { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface PrometheusServerFlags {
  configFile: string;
  /** The TSDB directory: the task's EFS access point. */
  storagePath: string;
  retentionTime: string;
  retentionSize: string;
  /** 127.0.0.1:9090 in the task: only the ingest proxy beside it reaches Prometheus. */
  listenAddress: string;
  externalUrl?: string;
  /**
   * `--web.enable-lifecycle`: the account sync beside it posts `/-/reload` after an account's
   * rule files changed. The server listens on the task's loopback, so only the task's own
   * containers reach the endpoint (the proxy does not pass it on).
   */
  lifecycleApi?: boolean;
}

/** The server's command line; the remote-write receiver is what makes it a hub. */
export function prometheusServerArgs(flags: PrometheusServerFlags): string[] {
  return [
    `--config.file=${flags.configFile}`,
    `--storage.tsdb.path=${flags.storagePath}`,
    `--storage.tsdb.retention.time=${flags.retentionTime}`,
    `--storage.tsdb.retention.size=${flags.retentionSize}`,
    `--web.listen-address=${flags.listenAddress}`,
    ...(flags.externalUrl ? [`--web.external-url=${flags.externalUrl}`] : []),
    "--web.enable-remote-write-receiver",
    ...(flags.lifecycleApi ? ["--web.enable-lifecycle"] : []),
  ];
}
