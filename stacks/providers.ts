/**
 * Every stack deploys through an explicit provider that assumes the account's deploy role
 * and refuses any other account; default providers are disabled in Pulumi.yaml, so no
 * resource can fall back to ambient credentials.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DeployTarget {
  accountId: string;
  region: string;
  deployRoleArn: string;
  environment: string;
}

export function deployProvider(name: string, target: DeployTarget, opts?: pulumi.CustomResourceOptions): aws.Provider {
  return new aws.Provider(name, {
    region: target.region as aws.Region,
    allowedAccountIds: [target.accountId],
    assumeRoles: [{ roleArn: target.deployRoleArn, sessionName: `pulumi-${pulumi.getStack()}`.slice(0, 64) }],
    defaultTags: { tags: { "observability:environment": target.environment, "observability:managed-by": "pulumi" } },
  }, opts);
}
