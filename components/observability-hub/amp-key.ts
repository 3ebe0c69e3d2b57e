/**
 * The customer managed key of an environment's AMP workspaces. The key policy delegates to
 * IAM in the hub account and lets AMP use it there, so it keeps one size for any number of
 * workspaces; the roles that read or write the workspaces get their key grants in IAM.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, policyJson } from "../iam/policy-document";
import { serviceKeyPolicyStatements } from "../iam/statements";

export interface AmpWorkspaceKeyArgs {
  environment: string;
  accountId: string;
  region: string;
  tags: Record<string, string>;
}

export function ampWorkspaceKey(name: string, args: AmpWorkspaceKeyArgs, opts?: pulumi.CustomResourceOptions): aws.kms.Key {
  return new aws.kms.Key(name, {
    description: `Encrypts the ${args.environment} AMP workspaces`,
    enableKeyRotation: true,
    policy: policyJson(policyDocument(...serviceKeyPolicyStatements(args.accountId, `aps.${args.region}.amazonaws.com`))),
    tags: args.tags,
  }, opts);
}
