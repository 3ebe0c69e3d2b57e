/**
 * A workload stack (`<env>-<account>`): reads its account's record from its hub stack
 * (`<env>-hub-<account>`),
 * then deploys the collector side into that account.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveWorkloadRecord } from "./config/validate";
import { WorkloadStackConfig } from "./config/schema";
import { WORKLOADS_OUTPUT, WorkloadStackRecords, hubAccountStackName } from "./contract";
import { isSelfHostedRecord } from "./self-hosted-contract";
import { selfHostedWorkloadProgram } from "./self-hosted-workload";
import { deployWorkloadSide } from "./workload-side";

export async function workloadProgram(stack: string, config: WorkloadStackConfig) {
  // The account's record comes from its own hub stack, named after the shared one.
  const hubStack = new pulumi.StackReference("hub", { name: hubAccountStackName(config.hubStack, config.accountName) });
  const details = await hubStack.getOutputDetails(WORKLOADS_OUTPUT);
  const records = (details.value ?? details.secretValue) as WorkloadStackRecords | undefined;
  const record = resolveWorkloadRecord(stack, config, records);
  if (isSelfHostedRecord(record)) return selfHostedWorkloadProgram(record);

  const { collector, outputs } = await deployWorkloadSide(record, {
    region: record.region,
    workspaceArn: record.workspaceArn,
    remoteWriteUrl: record.remoteWriteUrl,
    ingestRoleArn: record.ingestRoleArn,
    grafanaRoleArn: record.grafanaRoleArn,
  });
  return {
    ...outputs,
    // Managed scraper: per cluster, the authentication mode read at deploy time and how the
    // scraper gets in (AMP's own access entry, or our RBAC plus an aws-auth mapping to add).
    ...(record.collector.mode === "managed-scraper" ? { scraperAccess: collector.scraperAccess } : {}),
  };
}
