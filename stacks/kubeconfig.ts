/**
 * Pure renderer of a kubeconfig for an EKS cluster that authenticates through the same
 * deploy role as the AWS provider (`aws eks get-token --role-arn`). Without a role it
 * authenticates as whatever ambient credentials run the command, which is what pulumi-eks
 * renders when `providerCredentialOpts` is not set.
 */
export interface KubeconfigSettings {
  clusterName: string;
  endpoint: string;
  certificateAuthorityData: string;
  region: string;
  deployRoleArn?: string;
}

export function renderKubeconfig(settings: KubeconfigSettings): string {
  const name = settings.clusterName;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: settings.endpoint, "certificate-authority-data": settings.certificateAuthorityData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{
      name,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", name, "--region", settings.region,
            ...(settings.deployRoleArn ? ["--role-arn", settings.deployRoleArn] : [])],
        },
      },
    }],
  });
}
