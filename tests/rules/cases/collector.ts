import { EXTERNAL, RuleTestCase, runbook, series, WHERE } from "./model";

const COLLECTOR = { ...EXTERNAL, job: "prometheus", instance: "localhost:9090" };
const QUEUE = { remote_name: "3f2a1b", url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write" };
const TEAM = { team: "observability" };

const nodeExporterTargets = (down: number, total: number) =>
  Array.from({ length: total }, (_, i) => ({
    series: series("up", { ...EXTERNAL, job: "node-exporter", instance: `ip-10-0-1-${i + 10}` }),
    values: i < down ? "0x20" : "1x20",
  }));

const remoteWrite = (failedPerMinute: number, sentPerMinute: number) => [
  { series: series("prometheus_remote_storage_samples_failed_total", { ...COLLECTOR, ...QUEUE }), values: `0+${failedPerMinute}x30` },
  { series: series("prometheus_remote_storage_samples_total", { ...COLLECTOR, ...QUEUE }), values: `0+${sentPerMinute}x30` },
];

const lag = (sentStart: number) => [
  { series: series("prometheus_remote_storage_highest_timestamp_in_seconds", COLLECTOR), values: "1000+60x30" },
  { series: series("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", { ...COLLECTOR, ...QUEUE }), values: `${sentStart}+60x30` },
];

const shards = (desired: number) => [
  { series: series("prometheus_remote_storage_shards_desired", { ...COLLECTOR, ...QUEUE }), values: `${desired}x30` },
  { series: series("prometheus_remote_storage_shards_max", { ...COLLECTOR, ...QUEUE }), values: "200x30" },
];

const scrapeDrops = (outOfOrderPerMinute: number) => [
  { series: series("prometheus_target_scrapes_sample_out_of_order_total", COLLECTOR), values: `0+${outOfOrderPerMinute}x20` },
  { series: series("prometheus_target_scrapes_sample_duplicate_timestamp_total", COLLECTOR), values: "0x20" },
  { series: series("prometheus_target_scrapes_sample_out_of_bounds_total", COLLECTOR), values: "0x20" },
];

export const COLLECTOR_CASES: RuleTestCase[] = [
  {
    name: "CollectorAbsent fires when no collector up series arrives",
    input: [{ series: series("up", { ...EXTERNAL, job: "node-exporter", instance: "ip-10-0-1-10" }), values: "1x10" }],
    evalTime: "10m",
    alerts: [
      {
        alertname: "CollectorAbsent",
        firing: [
          {
            labels: { job: "prometheus", severity: "critical", ...TEAM },
            annotations: {
              summary: "No collector ships metrics to this workspace",
              description:
                "The workspace has received no `up` series of the collector for 5 minutes: every cluster of this account is unmonitored. Check the collector pods, their IRSA role and the remote-write endpoint.",
              runbook_url: runbook("CollectorAbsent"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "CollectorAbsent stays quiet while the collector reports",
    input: [{ series: series("up", COLLECTOR), values: "1x10" }],
    evalTime: "10m",
    alerts: [{ alertname: "CollectorAbsent", firing: [] }],
  },
  {
    name: "CollectorClusterStoppedReporting fires for the one cluster that went quiet",
    input: [
      { series: series("up", COLLECTOR), values: "1x20 _x40" },
      { series: series("up", { ...COLLECTOR, cluster: "green" }), values: "1x60" },
    ],
    evalTime: "40m",
    alerts: [
      {
        alertname: "CollectorClusterStoppedReporting",
        firing: [
          {
            labels: { ...WHERE, severity: "critical", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue stopped reporting",
              description: "The collector of cluster blue (account acme-payments) reported within the last 1h but not in the last 5 minutes.",
              runbook_url: runbook("CollectorClusterStoppedReporting"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "CollectorClusterStoppedReporting stays quiet while every cluster reports",
    input: [
      { series: series("up", COLLECTOR), values: "1x60" },
      { series: series("up", { ...COLLECTOR, cluster: "green" }), values: "1x60" },
    ],
    evalTime: "40m",
    alerts: [{ alertname: "CollectorClusterStoppedReporting", firing: [] }],
  },
  {
    name: "CollectorTargetDown fires when 1 of 4 node-exporter targets is down",
    input: nodeExporterTargets(1, 4),
    evalTime: "15m",
    alerts: [
      {
        alertname: "CollectorTargetDown",
        firing: [
          {
            labels: { ...WHERE, job: "node-exporter", severity: "warning", ...TEAM },
            annotations: {
              summary: "25% of the node-exporter targets in cluster blue are down",
              description: "The collector in cluster blue (account acme-payments) cannot scrape 25% of the targets of job node-exporter.",
              runbook_url: runbook("CollectorTargetDown"),
            },
          },
        ],
      },
    ],
    records: [{ record: "cluster_job:up:ratio", samples: [{ labels: { ...WHERE, job: "node-exporter" }, value: 0.75 }] }],
  },
  {
    name: "CollectorTargetDown stays quiet with 5% of targets down",
    input: nodeExporterTargets(1, 20),
    evalTime: "15m",
    alerts: [{ alertname: "CollectorTargetDown", firing: [] }],
  },
  {
    name: "CollectorRemoteWriteFailing fires when 2% of samples fail",
    input: remoteWrite(120, 5880),
    evalTime: "25m",
    alerts: [
      {
        alertname: "CollectorRemoteWriteFailing",
        firing: [
          {
            labels: { ...WHERE, severity: "critical", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue fails to remote-write samples",
              description:
                "2% of the samples the collector of cluster blue sends to AMP are rejected and lost (look for 400 responses: too many labels, out of order, throttling).",
              runbook_url: runbook("CollectorRemoteWriteFailing"),
            },
          },
        ],
      },
    ],
    records: [{ record: "cluster:prometheus_remote_storage_samples_failed:ratio_rate5m", samples: [{ labels: WHERE, value: 0.02 }] }],
  },
  {
    name: "CollectorRemoteWriteFailing stays quiet at 0.5% failed",
    input: remoteWrite(30, 5970),
    evalTime: "25m",
    alerts: [{ alertname: "CollectorRemoteWriteFailing", firing: [] }],
  },
  {
    name: "CollectorRemoteWriteBehind fires when sending lags 5 minutes behind",
    input: lag(700),
    evalTime: "25m",
    alerts: [
      {
        alertname: "CollectorRemoteWriteBehind",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue is falling behind on remote write",
              description:
                "The newest sample the collector of cluster blue has sent is 5m 0s older than the newest it scraped; data arrives late and is lost if the backlog outgrows the WAL.",
              runbook_url: runbook("CollectorRemoteWriteBehind"),
            },
          },
        ],
      },
    ],
    records: [{ record: "cluster:prometheus_remote_storage_lag_seconds:max5m", samples: [{ labels: WHERE, value: 300 }] }],
  },
  {
    name: "CollectorRemoteWriteBehind stays quiet at 50 seconds of lag",
    input: lag(950),
    evalTime: "25m",
    alerts: [{ alertname: "CollectorRemoteWriteBehind", firing: [] }],
  },
  {
    name: "CollectorRemoteWriteDesiredShardsHigh fires when 250 shards are wanted and 200 allowed",
    input: shards(250),
    evalTime: "25m",
    alerts: [
      {
        alertname: "CollectorRemoteWriteDesiredShardsHigh",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue needs more remote-write shards than allowed",
              description: "The collector of cluster blue wants 250 remote-write shards, more than its max_shards: it will fall behind unless max_shards is raised.",
              runbook_url: runbook("CollectorRemoteWriteDesiredShardsHigh"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "CollectorRemoteWriteDesiredShardsHigh stays quiet within max_shards",
    input: shards(200),
    evalTime: "25m",
    alerts: [{ alertname: "CollectorRemoteWriteDesiredShardsHigh", firing: [] }],
  },
  {
    name: "CollectorSamplesDropped fires on out-of-order samples",
    input: scrapeDrops(60),
    evalTime: "20m",
    alerts: [
      {
        alertname: "CollectorSamplesDropped",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue drops scraped samples",
              description:
                "The collector of cluster blue drops 1 scraped samples per second as out of order, out of bounds or with duplicate timestamps; usually two targets expose the same series.",
              runbook_url: runbook("CollectorSamplesDropped"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "CollectorSamplesDropped stays quiet when nothing is dropped",
    input: scrapeDrops(0),
    evalTime: "20m",
    alerts: [{ alertname: "CollectorSamplesDropped", firing: [] }],
  },
  {
    name: "CollectorConfigReloadFailed fires after a failed reload",
    input: [{ series: series("prometheus_config_last_reload_successful", COLLECTOR), values: "1x3 0x17" }],
    evalTime: "20m",
    alerts: [
      {
        alertname: "CollectorConfigReloadFailed",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "The collector of cluster blue rejected its configuration",
              description: "The last configuration reload of the collector in cluster blue failed: it keeps running the previous configuration.",
              runbook_url: runbook("CollectorConfigReloadFailed"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "CollectorConfigReloadFailed stays quiet once a reload succeeds",
    input: [{ series: series("prometheus_config_last_reload_successful", COLLECTOR), values: "0x3 1x17" }],
    evalTime: "20m",
    alerts: [{ alertname: "CollectorConfigReloadFailed", firing: [] }],
  },
];
