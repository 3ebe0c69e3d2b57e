/**
 * Headroom against the AMP workspace quotas (active series, ingestion rate), so an account
 * learns it is about to be throttled before AMP starts rejecting its samples.
 *
 * AMP does not publish its usage as Prometheus metrics (only in CloudWatch `AWS/Usage`),
 * so the rules measure what the collectors ship: the ingestion rate is exact (samples
 * sent per second), the active-series count is estimated as that rate times the scrape
 * interval (every active series sends one sample per scrape).
 */
import { alertingRule, formatNumber, RuleGroup, selector } from "./model";
import { RuleSettings } from "./settings";

export const AMP_QUOTA_RECORDS = {
  ingestionRate: "account:prometheus_remote_storage_samples:rate5m",
  activeSeries: "account:amp_active_series:estimate",
  activeSeriesQuotaRatio: "account:amp_active_series:ratio_quota",
  ingestionRateQuotaRatio: "account:amp_ingestion_rate:ratio_quota",
} as const;

export function ampQuotaGroups(s: RuleSettings): RuleGroup[] {
  const own = selector(s.selectors.collector);
  const t = s.thresholds;
  const r = AMP_QUOTA_RECORDS;
  const warning = formatNumber(t.ampQuotaWarningRatio);
  const critical = formatNumber(t.ampQuotaCriticalRatio);
  const seriesQuota = `${s.quotas.activeSeries} active series`;
  const ingestionQuota = `${s.quotas.ingestionSamplesPerSecond} samples/s`;
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "amp-quota", definition);
  return [
    {
      name: "amp-quota",
      concern: "amp-quota",
      interval: s.evaluationInterval,
      rules: [
        { record: r.ingestionRate, expr: `sum by (account) (rate(prometheus_remote_storage_samples_total${own}[5m]))` },
        { record: r.activeSeries, expr: `${r.ingestionRate} * ${formatNumber(s.collectorScrapeIntervalSeconds)}` },
        { record: r.activeSeriesQuotaRatio, expr: `${r.activeSeries} / ${s.quotas.activeSeries}` },
        { record: r.ingestionRateQuotaRatio, expr: `${r.ingestionRate} / ${formatNumber(s.quotas.ingestionSamplesPerSecond)}` },
        alert({
          id: "AmpActiveSeriesNearQuota:critical",
          severity: "critical",
          expr: `${r.activeSeriesQuotaRatio} > ${critical}`,
          summary: "Account {{ $labels.account }} is at {{ $value | humanizePercentage }} of its AMP active-series quota",
          description: `The collectors of account {{ $labels.account }} ship about {{ $value | humanizePercentage }} of the workspace quota of ${seriesQuota}; AMP rejects new series beyond it. Drop metrics from the allow-list or request a quota increase.`,
        }),
        alert({
          id: "AmpActiveSeriesNearQuota:warning",
          severity: "warning",
          expr: `${r.activeSeriesQuotaRatio} > ${warning}`,
          summary: "Account {{ $labels.account }} is at {{ $value | humanizePercentage }} of its AMP active-series quota",
          description: `The collectors of account {{ $labels.account }} ship about {{ $value | humanizePercentage }} of the workspace quota of ${seriesQuota}.`,
        }),
        alert({
          id: "AmpIngestionRateNearQuota:critical",
          severity: "critical",
          expr: `${r.ingestionRateQuotaRatio} > ${critical}`,
          summary: "Account {{ $labels.account }} is at {{ $value | humanizePercentage }} of its AMP ingestion-rate quota",
          description: `The collectors of account {{ $labels.account }} send {{ $value | humanizePercentage }} of the workspace quota of ${ingestionQuota}; AMP throttles remote write beyond it and samples are lost.`,
        }),
        alert({
          id: "AmpIngestionRateNearQuota:warning",
          severity: "warning",
          expr: `${r.ingestionRateQuotaRatio} > ${warning}`,
          summary: "Account {{ $labels.account }} is at {{ $value | humanizePercentage }} of its AMP ingestion-rate quota",
          description: `The collectors of account {{ $labels.account }} send {{ $value | humanizePercentage }} of the workspace quota of ${ingestionQuota}.`,
        }),
        alert({
          id: "AmpActiveSeriesQuotaExhaustionPredicted",
          severity: "warning",
          expr: `predict_linear(${r.activeSeries}[6h], 86400) > ${s.quotas.activeSeries}`,
          summary: "Account {{ $labels.account }} will reach its AMP active-series quota within a day",
          description: `At the growth of the last 6 hours, account {{ $labels.account }} will ship about {{ $value | humanize }} active series in 24 hours, over the workspace quota of ${seriesQuota}.`,
        }),
      ],
    },
  ];
}
