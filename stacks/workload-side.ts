/**
 * What a workload stack deploys into its account for either hub backend: the deploy provider,
 * the collector in the account's clusters writing to `hub` (AMP through the ingest role, or the
 * self-hosted hub with the account's token), and the forwarding of its CloudWatch alarms.
 */
import { WorkloadAccountCollector, WorkloadAccountCollectorArgs } from "../components/workload-collector";
import { collectorMetricAllowlist } from "../components/workload-collector/metric-allowlist";
import { COLLECTOR_SERIES_CUTS, SeriesCut } from "../components/workload-collector/series-cuts";
import { alarmForwarding } from "./alarm-forwarding";
import { ClusterOwner, collectorClusters } from "./collector-clusters";
import { deployProvider } from "./providers";

/** The fields of an account's record (either backend's) the workload side reads. */
export type WorkloadSideRecord = ClusterOwner & Parameters<typeof alarmForwarding>[0] & Parameters<typeof deployProvider>[1] & {
  collector: WorkloadAccountCollectorArgs["collector"] & { extraMetrics: readonly string[] };
  /** The account's own cuts; a record written before they were carried gets the default table. */
  seriesCuts?: readonly SeriesCut[];
};

export async function deployWorkloadSide(record: WorkloadSideRecord, hub: WorkloadAccountCollectorArgs["hub"]) {
  const provider = deployProvider(`${record.accountName}-deploy`, record);
  const clusters = await collectorClusters(record, provider);
  const collector = new WorkloadAccountCollector(record.accountName, {
    environment: record.environment,
    accountName: record.accountName,
    accountId: record.accountId,
    hub,
    collector: record.collector,
    metricAllowlist: [...collectorMetricAllowlist(), ...record.collector.extraMetrics],
    seriesCuts: record.seriesCuts ?? COLLECTOR_SERIES_CUTS,
    clusters,
  }, { providers: { aws: provider } });
  const alarms = alarmForwarding(record, provider);
  return {
    collector,
    /** The outputs every workload stack has, whatever its backend. */
    outputs: {
      accountName: record.accountName,
      accountId: record.accountId,
      collectorRoleArn: collector.collectorRoleArn,
      cloudWatchReadRoleArn: collector.cloudWatchReadRoleArn,
      forwardedAlarmArns: alarms?.alarmArns ?? [],
      ...(alarms ? { alarmForwarderRoleArn: alarms.forwarderRoleArn } : {}),
    },
  };
}
