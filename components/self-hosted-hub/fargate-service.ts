/**
 * One task of the self-hosted hub as a single-writer ECS service on Fargate: its log group, its own task role (what its code may do) and execution role (its log group and
 * the secrets ECS injects), the task definition with its EFS access point, and a service that
 * never runs two copies at once (`maximumPercent: 100`): a TSDB or a Grafana database must
 * not have two writers, even during a deployment.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/policy-document";
import { CONFIG_VOLUME, DATA_VOLUME } from "./container-definitions";
import { ecsTaskTrustPolicy, executionRolePolicy } from "./documents";
import { TaskSize } from "./sizing";

export interface FargateServiceArgs {
  accountId: string;
  region: string;
  clusterArn: pulumi.Input<string>;
  /** Log group name; the container definitions write to it. */
  logGroupName: string;
  logRetentionDays: number;
  /** The key the injected secrets and the log group are encrypted with (the execution role decrypts through Secrets Manager). */
  kmsKeyArn: pulumi.Input<string>;
  size: TaskSize;
  /** Container definitions JSON (from renderContainerDefinitions). */
  containerDefinitions: pulumi.Input<string>;
  /** The task role's policy (from taskRolePolicy). */
  taskPolicy: pulumi.Input<string>;
  /** Secrets ECS injects, by ARN (the execution role may read exactly these). */
  injectedSecretArns: pulumi.Input<string>[];
  /** Task-local volumes beside the config volume (e.g. the ingest tokens). */
  scratchVolumes?: string[];
  storage?: { fileSystemId: pulumi.Input<string>; accessPointId: pulumi.Input<string> };
  subnetIds: string[];
  securityGroupIds: pulumi.Input<string>[];
  loadBalancer?: { targetGroupArn: pulumi.Input<string>; containerName: string; containerPort: number };
  /** Cloud Map service, so other tasks reach this one by name. */
  serviceRegistryArn?: pulumi.Input<string>;
  dependsOn?: pulumi.Resource[];
  /** Have the deploy wait until the task is running and healthy (something later in the same deploy calls it). */
  waitForSteadyState?: boolean;
  awsProvider: aws.Provider;
  tags: Record<string, string>;
}

export class FargateService extends pulumi.ComponentResource {
  public readonly taskRoleArn: pulumi.Output<string>;
  public readonly executionRoleArn: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:selfhosted:FargateService", name, {}, opts);
    const child = { provider: args.awsProvider, parent: this };
    const trust = policyJson(ecsTaskTrustPolicy(args.accountId, args.region));

    // Encrypted with the hub's key, whose policy admits CloudWatch Logs for exactly the tasks'
    // log groups (by the log group ARN Logs sends as encryption context).
    const logGroup = new aws.cloudwatch.LogGroup(name, { name: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn, tags: args.tags }, child);

    const taskRole = new aws.iam.Role(`${name}-task`, { name: `${name}-task`, assumeRolePolicy: trust, tags: args.tags }, child);
    new aws.iam.RolePolicy(`${name}-task`, { role: taskRole.name, policy: args.taskPolicy }, child);

    const executionRole = new aws.iam.Role(`${name}-execution`, { name: `${name}-execution`, assumeRolePolicy: trust, tags: args.tags }, child);
    new aws.iam.RolePolicy(`${name}-execution`, {
      role: executionRole.name,
      policy: pulumi.all([logGroup.arn, pulumi.output(args.kmsKeyArn), pulumi.all(args.injectedSecretArns)]).apply(([logGroupArn, keyArn, secretArns]) =>
        policyJson(executionRolePolicy({ logGroupArn, keyArn, secretArns, region: args.region }))),
    }, child);

    const taskDefinition = new aws.ecs.TaskDefinition(name, {
      family: name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.size.cpu),
      memory: String(args.size.memoryMiB),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      taskRoleArn: taskRole.arn,
      executionRoleArn: executionRole.arn,
      containerDefinitions: args.containerDefinitions,
      volumes: [
        { name: CONFIG_VOLUME },
        ...(args.scratchVolumes ?? []).map((volume) => ({ name: volume })),
        ...(args.storage
          ? [{
              name: DATA_VOLUME,
              efsVolumeConfiguration: {
                fileSystemId: args.storage.fileSystemId,
                transitEncryption: "ENABLED",
                authorizationConfig: { accessPointId: args.storage.accessPointId, iam: "ENABLED" },
              },
            }]
          : []),
      ],
      tags: args.tags,
    }, child);

    const service = new aws.ecs.Service(name, {
      name,
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      desiredCount: 1,
      // Stop the old task before starting the new one: one writer per TSDB / database at all times.
      deploymentMinimumHealthyPercent: 0,
      deploymentMaximumPercent: 100,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: false,
      propagateTags: "SERVICE",
      networkConfiguration: { subnets: args.subnetIds, securityGroups: args.securityGroupIds, assignPublicIp: false },
      ...(args.loadBalancer ? { loadBalancers: [{ targetGroupArn: args.loadBalancer.targetGroupArn, containerName: args.loadBalancer.containerName, containerPort: args.loadBalancer.containerPort }], healthCheckGracePeriodSeconds: 120 } : {}),
      ...(args.serviceRegistryArn ? { serviceRegistries: { registryArn: args.serviceRegistryArn } } : {}),
      ...(args.waitForSteadyState ? { waitForSteadyState: true } : {}),
      tags: args.tags,
    }, { ...child, dependsOn: args.dependsOn });

    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.serviceName = service.name;
    this.registerOutputs({ taskRoleArn: this.taskRoleArn, serviceName: this.serviceName });
  }
}
