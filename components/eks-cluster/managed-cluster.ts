/**
 * ManagedEksCluster: an EKS cluster this program creates (the hub's Promxy cluster, a demo
 * workload cluster) together with what the rest of the program needs from it:
 * - pulumi-eks is a remote component, so it gets explicit `aws` and `eks` providers (the
 *   stacks disable default providers, and the engine refuses it otherwise);
 * - access entries (`authenticationMode: API`): the deploy role that creates the cluster is
 *   its admin, and the kubeconfig assumes that same role (`providerCredentialOpts`), so
 *   Kubernetes and Helm resources never depend on whatever ambient credentials run Pulumi;
 * - an explicit API endpoint choice the deploy runner can actually reach;
 * - the EBS CSI driver and a default StorageClass, so collectors get persistent volumes.
 */
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../iam/policy-document";
import { trustServiceAccount } from "../iam/statements";
import { partitionOf } from "../shared/arns";
import { ApiEndpointAccess, eksEndpointArgs } from "./api-endpoint";
import { EBS_CSI_ADDON, EBS_CSI_CONTROLLER_SERVICE_ACCOUNT, defaultStorageClass, ebsCsiDriverPolicyArn } from "./storage";

export interface ManagedEksClusterArgs {
  clusterName: string;
  region: string;
  /** The role the AWS provider deploys as: the cluster's creator, hence its admin, and the kubeconfig's identity. */
  deployRoleArn: string;
  apiEndpoint: ApiEndpointAccess;
  vpcId?: pulumi.Input<string>;
  /** Worker subnets; without them pulumi-eks uses the account's default VPC. */
  privateSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  instanceType: string;
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  tags?: Record<string, string>;
  awsProvider: aws.Provider;
  eksProvider: eks.Provider;
}

export class ManagedEksCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcProviderUrl: pulumi.Output<string>;
  /** Authenticates as the deploy role. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly kubernetesProvider: k8s.Provider;

  constructor(name: string, args: ManagedEksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:eks:ManagedEksCluster", name, {}, opts);
    const awsOpts = { parent: this, provider: args.awsProvider };

    const cluster = new eks.Cluster(name, {
      name: args.clusterName,
      vpcId: args.vpcId,
      privateSubnetIds: args.privateSubnetIds,
      nodeAssociatePublicIpAddress: args.privateSubnetIds ? false : undefined,
      ...eksEndpointArgs(args.apiEndpoint),
      authenticationMode: eks.AuthenticationMode.Api,
      providerCredentialOpts: { roleArn: args.deployRoleArn },
      createOidcProvider: true,
      instanceType: args.instanceType,
      desiredCapacity: args.desiredCapacity,
      minSize: args.minSize,
      maxSize: args.maxSize,
      tags: args.tags,
    // `provider` for the component's own package, `providers` for its children's (the SDK
    // warns when one provider is given both ways).
    }, { parent: this, provider: args.eksProvider, providers: { aws: args.awsProvider } });

    this.clusterName = args.clusterName;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcProviderUrl = cluster.oidcProviderUrl;
    this.kubeconfig = cluster.kubeconfigJson;
    this.kubernetesProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent: this });

    const ebsCsiRole = new aws.iam.Role(`${name}-ebs-csi`, {
      description: `EBS CSI driver of ${args.clusterName}`,
      assumeRolePolicy: pulumi.all([cluster.oidcProviderArn, cluster.oidcProviderUrl]).apply(([oidcProviderArn, oidcIssuerUrl]) =>
        policyJson(policyDocument(trustServiceAccount({
          oidcProviderArn,
          oidcIssuerUrl,
          namespace: EBS_CSI_CONTROLLER_SERVICE_ACCOUNT.namespace,
          serviceAccount: EBS_CSI_CONTROLLER_SERVICE_ACCOUNT.name,
        })))),
      tags: args.tags,
    }, awsOpts);
    const ebsCsiPolicy = new aws.iam.RolePolicyAttachment(`${name}-ebs-csi`, {
      role: ebsCsiRole.name,
      policyArn: ebsCsiDriverPolicyArn(partitionOf(args.region)),
    }, awsOpts);
    const ebsCsi = new aws.eks.Addon(`${name}-ebs-csi`, {
      clusterName: args.clusterName,
      addonName: EBS_CSI_ADDON,
      serviceAccountRoleArn: ebsCsiRole.arn,
      resolveConflictsOnCreate: "OVERWRITE",
      tags: args.tags,
    }, { ...awsOpts, dependsOn: [cluster, ebsCsiPolicy] });
    new k8s.storage.v1.StorageClass(`${name}-default-storage`, defaultStorageClass(),
      { parent: this, provider: this.kubernetesProvider, dependsOn: [ebsCsi] });

    this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, oidcProviderUrl: this.oidcProviderUrl });
  }
}
