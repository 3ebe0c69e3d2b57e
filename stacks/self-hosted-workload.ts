/**
 * A workload stack (`<env>-<account>`) whose hub is self-hosted: the backend-independent
 * parts of the account's side. The CloudWatch read role, trusted by the hub's CloudWatch
 * exporter alone, and the account's alarms forwarded to the hub's alert bus. The collector's
 * remote write to the self-hosted hub (bearer token from the hub's secret) is not deployed by
 * this program yet: the outputs say where it writes and which secret its role reads.
 */
import * as aws from "@pulumi/aws";
import { alarmForwarding } from "./alarm-forwarding";
import { policyDocument, policyJson } from "../components/iam/policy-document";
import { allowCloudWatchReadForGrafana, trustExactRole } from "../components/iam/statements";
import { deployProvider } from "./providers";
import { SelfHostedWorkloadStackRecord } from "./self-hosted-contract";

export function selfHostedWorkloadProgram(record: SelfHostedWorkloadStackRecord) {
  const provider = deployProvider(`${record.accountName}-deploy`, record);
  const tags = { "observability:account": record.accountName };

  const cloudWatchReadRole = new aws.iam.Role(`${record.accountName}-cloudwatch-read`, {
    name: record.cloudWatchReadRoleName,
    description: "Read CloudWatch metrics, logs and alarms; assumed only by the hub's CloudWatch exporter",
    assumeRolePolicy: policyJson(policyDocument(trustExactRole(record.cloudWatchExporterRoleArn))),
    tags,
  }, { provider });
  new aws.iam.RolePolicy(`${record.accountName}-cloudwatch-read-access`, {
    role: cloudWatchReadRole.name,
    policy: policyJson(policyDocument(...allowCloudWatchReadForGrafana(record.accountId))),
  }, { provider });

  const alarms = alarmForwarding(record, provider);

  return {
    accountName: record.accountName,
    accountId: record.accountId,
    backend: "self-hosted",
    cloudWatchReadRoleArn: cloudWatchReadRole.arn,
    forwardedAlarmArns: alarms?.alarmArns ?? [],
    ...(alarms ? { alarmForwarderRoleArn: alarms.forwarderRoleArn } : {}),
    // Where this account's collectors write, and the secret their role reads the token from.
    remoteWriteUrls: record.remoteWriteUrls,
    ingestSecretArn: record.ingestSecretArn,
  };
}
