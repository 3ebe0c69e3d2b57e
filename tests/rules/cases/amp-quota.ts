import { EXTERNAL, RuleTestCase, runbook, series } from "./model";

const COLLECTOR = { ...EXTERNAL, job: "prometheus", instance: "localhost:9090", remote_name: "3f2a1b", url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write" };
const ACCOUNT = { account: EXTERNAL.account };
const TEAM = { team: "observability" };

/** Samples sent per second, per cluster, as a counter scraped every minute for an hour. */
const sent = (perSecondByCluster: Record<string, number>) =>
  Object.entries(perSecondByCluster).map(([cluster, perSecond]) => ({
    series: series("prometheus_remote_storage_samples_total", { ...COLLECTOR, cluster }),
    values: `0+${perSecond * 60}x60`,
  }));

/**
 * A send rate growing by `growthPerMinute` samples/s every minute: a counter whose
 * per-minute increase grows linearly, written out value by value.
 */
function growingSent(startPerSecond: number, growthPerMinute: number, minutes: number) {
  const values: number[] = [0];
  for (let minute = 1; minute <= minutes; minute++) {
    values.push(values[minute - 1] + (startPerSecond + growthPerMinute * (minute - 1)) * 60);
  }
  return [{ series: series("prometheus_remote_storage_samples_total", { ...COLLECTOR, cluster: "blue" }), values: values.join(" ") }];
}

const seriesNearQuota = (severity: "critical" | "warning", percent: string) => ({
  labels: { ...ACCOUNT, severity, ...TEAM },
  annotations: {
    summary: `Account acme-payments is at ${percent} of its AMP active-series quota`,
    description:
      severity === "critical"
        ? `The collectors of account acme-payments ship about ${percent} of the workspace quota of 10000000 active series; AMP rejects new series beyond it. Drop metrics from the allow-list or request a quota increase.`
        : `The collectors of account acme-payments ship about ${percent} of the workspace quota of 10000000 active series.`,
    runbook_url: runbook("AmpActiveSeriesNearQuota"),
  },
});

const ingestionNearQuota = (severity: "critical" | "warning", percent: string) => ({
  labels: { ...ACCOUNT, severity, ...TEAM },
  annotations: {
    summary: `Account acme-payments is at ${percent} of its AMP ingestion-rate quota`,
    description:
      severity === "critical"
        ? `The collectors of account acme-payments send ${percent} of the workspace quota of 170000 samples/s; AMP throttles remote write beyond it and samples are lost.`
        : `The collectors of account acme-payments send ${percent} of the workspace quota of 170000 samples/s.`,
    runbook_url: runbook("AmpIngestionRateNearQuota"),
  },
});

export const AMP_QUOTA_CASES: RuleTestCase[] = [
  {
    name: "AmpActiveSeriesNearQuota: two clusters together at 96% of the active-series quota",
    // 160,000 samples/s from each cluster, scraped every 30 s: about 9.6M active series.
    input: sent({ blue: 160_000, green: 160_000 }),
    evalTime: "45m",
    alerts: [{ alertname: "AmpActiveSeriesNearQuota", firing: [seriesNearQuota("critical", "96%"), seriesNearQuota("warning", "96%")] }],
    records: [
      { record: "account:prometheus_remote_storage_samples:rate5m", samples: [{ labels: ACCOUNT, value: 320_000 }] },
      { record: "account:amp_active_series:estimate", samples: [{ labels: ACCOUNT, value: 9_600_000 }] },
      { record: "account:amp_active_series:ratio_quota", samples: [{ labels: ACCOUNT, value: 0.96 }] },
    ],
  },
  {
    name: "AmpActiveSeriesNearQuota warns at 90% of the active-series quota",
    input: sent({ blue: 300_000 }),
    evalTime: "45m",
    alerts: [{ alertname: "AmpActiveSeriesNearQuota", firing: [seriesNearQuota("warning", "90%")] }],
  },
  {
    name: "AmpActiveSeriesNearQuota stays quiet at 75% of the active-series quota",
    input: sent({ blue: 250_000 }),
    evalTime: "45m",
    alerts: [{ alertname: "AmpActiveSeriesNearQuota", firing: [] }],
  },
  {
    name: "AmpIngestionRateNearQuota is critical at 99% of the ingestion quota",
    input: sent({ blue: 168_300 }),
    evalTime: "25m",
    alerts: [{ alertname: "AmpIngestionRateNearQuota", firing: [ingestionNearQuota("critical", "99%"), ingestionNearQuota("warning", "99%")] }],
    records: [{ record: "account:amp_ingestion_rate:ratio_quota", samples: [{ labels: ACCOUNT, value: 0.99 }] }],
  },
  {
    name: "AmpIngestionRateNearQuota warns at 90% of the ingestion quota",
    input: sent({ blue: 153_000 }),
    evalTime: "25m",
    alerts: [{ alertname: "AmpIngestionRateNearQuota", firing: [ingestionNearQuota("warning", "90%")] }],
  },
  {
    name: "AmpIngestionRateNearQuota stays quiet at 50% of the ingestion quota",
    input: sent({ blue: 85_000 }),
    evalTime: "25m",
    alerts: [{ alertname: "AmpIngestionRateNearQuota", firing: [] }],
  },
  {
    name: "AmpActiveSeriesQuotaExhaustionPredicted fires when the 6-hour trend crosses the quota within a day",
    // The send rate grows by 200 samples/s a minute: at 430m about 5.56M series, +8.64M a day.
    input: growingSent(100_000, 200, 430),
    evalTime: "430m",
    alerts: [
      {
        alertname: "AmpActiveSeriesQuotaExhaustionPredicted",
        firing: [
          {
            labels: { ...ACCOUNT, severity: "warning", ...TEAM },
            annotations: {
              summary: "Account acme-payments will reach its AMP active-series quota within a day",
              description: "At the growth of the last 6 hours, account acme-payments will ship about 14.2M active series in 24 hours, over the workspace quota of 10000000 active series.",
              runbook_url: runbook("AmpActiveSeriesQuotaExhaustionPredicted"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "AmpActiveSeriesQuotaExhaustionPredicted stays quiet for a flat 5.4M series",
    input: [{ series: series("prometheus_remote_storage_samples_total", { ...COLLECTOR, cluster: "blue" }), values: "0+10800000x430" }],
    evalTime: "430m",
    alerts: [{ alertname: "AmpActiveSeriesQuotaExhaustionPredicted", firing: [] }],
  },
];
