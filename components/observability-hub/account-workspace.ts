/**
 * One workload account's corner of the hub: its AMP workspace and the ingest role that
 * only that account's collector may assume, allowed to remote-write to that workspace only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../iam/policy-document";
import { allowRemoteWrite, allowUseKeyThroughAmp, trustRoleOfAccount } from "../iam/statements";
import { ampRemoteWriteUrl, ampWorkspaceQueryUrl, iamRoleArn } from "../shared/arns";
import { collectorRoleName, ingestRoleName } from "../shared/naming";

export interface AccountWorkspaceArgs {
  environment: string;
  accountName: string;
  accountId: string;
  region: string;
  retentionDays: number;
  kmsKeyArn?: pulumi.Input<string>;
  logging: boolean;
  tags: Record<string, string>;
}

export class AccountWorkspace extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly workspaceArn: pulumi.Output<string>;
  readonly remoteWriteUrl: pulumi.Output<string>;
  readonly queryUrl: pulumi.Output<string>;
  readonly ingestRoleArn: pulumi.Output<string>;
  readonly collectorRoleArn: string;

  constructor(name: string, args: AccountWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:hub:AccountWorkspace", name, {}, opts);
    const child = { parent: this };
    const tags = { ...args.tags, "observability:account": args.accountName };

    const logGroup = args.logging
      ? new aws.cloudwatch.LogGroup(`${name}-amp-logs`, {
          name: `/aws/vendedlogs/prometheus/${args.environment}-${args.accountName}`,
          retentionInDays: 30,
          tags,
        }, child)
      : undefined;

    const workspace = new aws.amp.Workspace(`${name}-workspace`, {
      alias: `${args.environment}-${args.accountName}`,
      kmsKeyArn: args.kmsKeyArn,
      loggingConfiguration: logGroup ? { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` } : undefined,
      tags,
    }, child);

    new aws.amp.WorkspaceConfiguration(`${name}-retention`, {
      workspaceId: workspace.id,
      retentionPeriodInDays: args.retentionDays,
    }, child);

    this.collectorRoleArn = iamRoleArn(args.accountId, collectorRoleName(args.environment, args.accountName));
    const ingestRole = new aws.iam.Role(`${name}-ingest`, {
      name: ingestRoleName(args.environment, args.accountName),
      description: `Remote-write into the ${args.accountName} AMP workspace; assumed only by that account's collector`,
      assumeRolePolicy: policyJson(policyDocument(trustRoleOfAccount(args.accountId, [this.collectorRoleArn]))),
      maxSessionDuration: 3600,
      tags,
    }, child);

    new aws.iam.RolePolicy(`${name}-ingest-remote-write`, {
      role: ingestRole.name,
      policy: pulumi.all([workspace.arn, args.kmsKeyArn]).apply(([arn, keyArn]) => policyJson(policyDocument(
        allowRemoteWrite(arn),
        ...(keyArn ? [allowUseKeyThroughAmp(keyArn, args.region)] : []),
      ))),
    }, child);

    this.workspaceId = workspace.id;
    this.workspaceArn = workspace.arn;
    this.remoteWriteUrl = workspace.id.apply((id) => ampRemoteWriteUrl(args.region, id));
    this.queryUrl = workspace.id.apply((id) => ampWorkspaceQueryUrl(args.region, id));
    this.ingestRoleArn = ingestRole.arn;
    this.registerOutputs({
      workspaceId: this.workspaceId,
      workspaceArn: this.workspaceArn,
      remoteWriteUrl: this.remoteWriteUrl,
      ingestRoleArn: this.ingestRoleArn,
    });
  }
}
