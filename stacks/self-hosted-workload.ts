/**
 * A workload stack (`<env>-<account>`) whose hub is self-hosted: the same collector as with
 * AMP (WorkloadAccountCollector: the Prometheus chart in each cluster, the same scrape jobs,
 * allow-list, series cuts and external labels), writing to each of the hub's servers with the
 * account's bearer token, which the collector pod reads from the hub's secret with its own
 * role; the CloudWatch read role, trusted by the hub's CloudWatch exporter alone; and the
 * account's alarms forwarded to the hub's alert bus.
 */
import { WorkloadAccountCollector } from "../components/workload-collector";
import { COLLECTOR_METRIC_ALLOWLIST } from "../components/workload-collector/metric-allowlist";
import { INGEST_TOKEN_FIELD } from "../components/self-hosted-hub/collector-remote-write";
import { alarmForwarding } from "./alarm-forwarding";
import { collectorClusters } from "./collector-clusters";
import { deployProvider } from "./providers";
import { SelfHostedWorkloadStackRecord } from "./self-hosted-contract";

export async function selfHostedWorkloadProgram(record: SelfHostedWorkloadStackRecord) {
  const provider = deployProvider(`${record.accountName}-deploy`, record);
  const clusters = await collectorClusters(record, provider);

  const collector = new WorkloadAccountCollector(record.accountName, {
    environment: record.environment,
    accountName: record.accountName,
    accountId: record.accountId,
    hub: {
      backend: "self-hosted",
      region: record.region,
      remoteWriteUrls: record.remoteWriteUrls,
      ingestSecretArn: record.ingestSecretArn,
      ingestSecretKeyArn: record.ingestSecretKeyArn,
      tokenField: INGEST_TOKEN_FIELD,
      cloudWatchReaderRoleArn: record.cloudWatchExporterRoleArn,
    },
    collector: record.collector,
    metricAllowlist: [...COLLECTOR_METRIC_ALLOWLIST, ...record.collector.extraMetrics],
    clusters,
  }, { providers: { aws: provider } });

  const alarms = alarmForwarding(record, provider);

  return {
    accountName: record.accountName,
    accountId: record.accountId,
    backend: "self-hosted",
    collectorRoleArn: collector.collectorRoleArn,
    cloudWatchReadRoleArn: collector.cloudWatchReadRoleArn,
    forwardedAlarmArns: alarms?.alarmArns ?? [],
    ...(alarms ? { alarmForwarderRoleArn: alarms.forwarderRoleArn } : {}),
    // Where this account's collectors write, and the secret their pods read the token from.
    remoteWriteUrls: record.remoteWriteUrls,
    ingestSecretArn: record.ingestSecretArn,
  };
}
