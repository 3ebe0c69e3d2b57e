/**
 * A workload stack (`<env>-<account>`) whose hub is self-hosted: the same collector as with
 * AMP (WorkloadAccountCollector: the Prometheus chart in each cluster, the same scrape jobs,
 * allow-list, series cuts and external labels), writing to each of the hub's servers with the
 * account's bearer token, which the collector pod reads from the hub's secret with its own
 * role; the CloudWatch read role, trusted by the hub's CloudWatch exporter alone; and the
 * account's alarms forwarded to the hub's alert bus.
 */
import { INGEST_TOKEN_FIELD } from "../components/self-hosted-hub/collector-remote-write";
import { SelfHostedWorkloadStackRecord } from "./self-hosted-contract";
import { deployWorkloadSide } from "./workload-side";

export async function selfHostedWorkloadProgram(record: SelfHostedWorkloadStackRecord) {
  const { outputs } = await deployWorkloadSide(record, {
    backend: "self-hosted",
    region: record.region,
    remoteWriteUrls: record.remoteWriteUrls,
    ingestSecretArn: record.ingestSecretArn,
    ingestSecretKeyArn: record.ingestSecretKeyArn,
    tokenField: INGEST_TOKEN_FIELD,
    cloudWatchReaderRoleArn: record.cloudWatchExporterRoleArn,
  });
  return {
    ...outputs,
    backend: "self-hosted",
    // Where this account's collectors write, and the secret their pods read the token from.
    remoteWriteUrls: record.remoteWriteUrls,
    ingestSecretArn: record.ingestSecretArn,
  };
}
