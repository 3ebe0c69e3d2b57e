/** A Kubernetes provider for an existing EKS cluster, authenticated through the stack's deploy role. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renderKubeconfig } from "./kubeconfig";

export interface ExistingClusterAccess {
  clusterName: string;
  region: string;
  deployRoleArn: string;
}

export function existingClusterProvider(name: string, access: ExistingClusterAccess, awsProvider: aws.Provider) {
  const described = aws.eks.getClusterOutput({ name: access.clusterName }, { provider: awsProvider });
  const kubeconfig = pulumi.all([described.endpoint, described.certificateAuthorities]).apply(([endpoint, authorities]) =>
    renderKubeconfig({
      clusterName: access.clusterName,
      endpoint,
      certificateAuthorityData: authorities[0].data,
      region: access.region,
      deployRoleArn: access.deployRoleArn,
    }));
  return {
    clusterArn: described.arn,
    provider: () => new k8s.Provider(name, { kubeconfig, enableServerSideApply: true }),
  };
}
