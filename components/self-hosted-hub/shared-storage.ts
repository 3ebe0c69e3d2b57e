/**
 * The hub's EFS file system: encrypted with the hub key, backed up by AWS Backup, TLS-only,
 * a mount target per private subnet, and one access point per writer (its own directory and
 * POSIX identity), so no two tasks share a TSDB or a database directory.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/policy-document";
import { fileSystemPolicy } from "./documents";

export interface AccessPointSpec {
  /** Directory on the file system, e.g. `/prometheus-a`. */
  path: string;
  uid: number;
  gid: number;
}

export interface SharedStorageArgs {
  subnetIds: string[];
  /** Security group of the mount targets (NFS from the tasks only). */
  securityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  throughputMode: "bursting" | "elastic" | "provisioned";
  provisionedThroughputMibps?: number;
  accessPoints: Record<string, AccessPointSpec>;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

export class SharedStorage extends pulumi.ComponentResource {
  public readonly fileSystemId: pulumi.Output<string>;
  public readonly fileSystemArn: pulumi.Output<string>;
  public readonly accessPoints: Record<string, { id: pulumi.Output<string>; arn: pulumi.Output<string> }> = {};
  /** Mount targets: tasks must not start before they exist. */
  public readonly mountTargets: aws.efs.MountTarget[];

  constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:SharedStorage", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    if (args.throughputMode === "provisioned" && !args.provisionedThroughputMibps) {
      throw new Error("EFS throughput mode 'provisioned' needs provisionedThroughputMibps");
    }
    const fileSystem = new aws.efs.FileSystem(name, {
      encrypted: true,
      kmsKeyId: args.kmsKeyArn,
      // A TSDB does many small writes: generalPurpose has the lower latency.
      performanceMode: "generalPurpose",
      throughputMode: args.throughputMode,
      ...(args.throughputMode === "provisioned" ? { provisionedThroughputInMibps: args.provisionedThroughputMibps } : {}),
      tags: { ...args.tags, Name: name },
    }, child);
    new aws.efs.BackupPolicy(name, { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } }, child);
    new aws.efs.FileSystemPolicy(name, { fileSystemId: fileSystem.id, policy: fileSystem.arn.apply((arn) => policyJson(fileSystemPolicy(arn))) }, child);
    this.mountTargets = args.subnetIds.map((subnetId, index) =>
      new aws.efs.MountTarget(`${name}-${index}`, { fileSystemId: fileSystem.id, subnetId, securityGroups: [args.securityGroupId] }, child));
    for (const [key, spec] of Object.entries(args.accessPoints)) {
      const accessPoint = new aws.efs.AccessPoint(`${name}-${key}`, {
        fileSystemId: fileSystem.id,
        posixUser: { uid: spec.uid, gid: spec.gid },
        rootDirectory: { path: spec.path, creationInfo: { ownerUid: spec.uid, ownerGid: spec.gid, permissions: "0750" } },
        tags: { ...args.tags, Name: `${name}-${key}` },
      }, child);
      this.accessPoints[key] = { id: accessPoint.id, arn: accessPoint.arn };
    }
    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;
    this.registerOutputs({ fileSystemId: this.fileSystemId });
  }
}
