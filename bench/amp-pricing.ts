/**
 * AMP's monthly bill for a sample rate, with the ingestion tiers of the public price page
 * (https://aws.amazon.com/prometheus/pricing/, us-east-1): the first 2 billion samples a
 * month at $0.90 per 10 million, the next 250 billion at $0.35, everything above at $0.16.
 * Tiers apply to an account's monthly total in a region, so a cluster is priced as if it
 * were the account's only sender (the most expensive case).
 *
 * Storage and queries are estimates with stated assumptions, not measurements:
 * - storage $0.03 per GB-month; AMP counts samples (1-2 bytes each) and series metadata; we
 *   assume 2 bytes per sample and 1 KiB of metadata per active series, held for the default
 *   150-day retention, so a steady stream stores 150/30 months of samples;
 * - queries $0.10 per billion query samples processed; we assume the rules (evaluated every
 *   minute over a 5 m window at the collector's interval) and 10 dashboard panel refreshes an
 *   hour, each reading the same series, i.e. QSP = shipped series x samples per 5 m window
 *   x (60 rule evaluations + 10 refreshes) per hour. Only the shipped series are queried in
 *   either case, so this term is the same with and without the filter.
 */

export const SECONDS_PER_MONTH = 730 * 3600;

export const INGESTION_TIERS: ReadonlyArray<{ upToSamples: number; usdPer10M: number }> = [
  { upToSamples: 2e9, usdPer10M: 0.9 },
  { upToSamples: 252e9, usdPer10M: 0.35 },
  { upToSamples: Infinity, usdPer10M: 0.16 },
];

export const STORAGE_USD_PER_GB_MONTH = 0.03;
export const QUERY_USD_PER_BILLION_SAMPLES = 0.1;
const BYTES_PER_SAMPLE = 2;
const METADATA_BYTES_PER_SERIES = 1024;
const RETENTION_MONTHS = 150 / 30;

export function samplesPerMonth(samplesPerSecond: number): number {
  return samplesPerSecond * SECONDS_PER_MONTH;
}

export function ingestionUsdPerMonth(samplesPerSecond: number): number {
  let remaining = samplesPerMonth(samplesPerSecond);
  let floor = 0;
  let usd = 0;
  for (const tier of INGESTION_TIERS) {
    const inTier = Math.min(remaining, tier.upToSamples - floor);
    usd += (inTier / 1e7) * tier.usdPer10M;
    remaining -= inTier;
    floor = tier.upToSamples;
    if (remaining <= 0) break;
  }
  return usd;
}

/** Once retention is full: 150 days of samples plus the series' metadata. */
export function storageUsdPerMonth(samplesPerSecond: number, activeSeries: number): number {
  const bytes = samplesPerMonth(samplesPerSecond) * RETENTION_MONTHS * BYTES_PER_SAMPLE + activeSeries * METADATA_BYTES_PER_SERIES;
  return (bytes / 2 ** 30) * STORAGE_USD_PER_GB_MONTH;
}

export function queryUsdPerMonth(queriedSeries: number, scrapeIntervalSeconds: number): number {
  const samplesPerWindow = 300 / scrapeIntervalSeconds;
  const perHour = queriedSeries * samplesPerWindow * (60 + 10);
  return ((perHour * 730) / 1e9) * QUERY_USD_PER_BILLION_SAMPLES;
}

export const COST_ASSUMPTIONS = [
  "Ingestion: samples/s x 2,628,000 s (730 h), tiered $0.90 / $0.35 / $0.16 per 10M samples (first 2 B, next 250 B, beyond), each cluster priced as its account's only sender.",
  "Storage: $0.03 per GB-month, 2 bytes per sample and 1 KiB of metadata per active series, 150-day retention full.",
  "Queries: $0.10 per billion samples processed; every rule evaluated each minute over a 5 m window and 10 panel refreshes an hour, over the shipped series only (the same with or without the filter, since rules and panels read only the series they select).",
];
