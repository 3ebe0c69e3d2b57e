/**
 * Interface endpoint for `aps-workspaces` so remote writes stay on the AWS network: private
 * DNS, 443 admitted only from the cluster, and an endpoint policy that allows only the
 * account's hub ingest role to remote-write, and only to the account's hub workspace.
 *
 * An endpoint policy judges the principal that signed the request. The collector signs
 * with the credentials of the hub ingest role it assumed, so that principal is a role of
 * the hub account, not of this workload account.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument } from "../iam/policy-document";
import { endpointAllowsRemoteWriteBy } from "../iam/statements";

export interface AmpVpcEndpointArgs {
  region: string;
  accountId: string;
  vpcId: string;
  subnetIds: string[];
  allowedSecurityGroupIds: string[];
  allowedCidrs: string[];
  workspaceArn: pulumi.Input<string>;
  /** The hub role the collector assumes: the principal that signs every remote write. */
  ingestRoleArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

export function ampEndpointPolicy(ingestRoleArn: string, workspaceArn: string): PolicyDocument {
  return policyDocument(endpointAllowsRemoteWriteBy(ingestRoleArn, workspaceArn));
}

export class AmpVpcEndpoint extends pulumi.ComponentResource {
  readonly endpointId: pulumi.Output<string>;

  constructor(name: string, args: AmpVpcEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("observability:workload:AmpVpcEndpoint", name, {}, opts);
    const child = { parent: this };

    const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: "HTTPS to the AMP endpoint from the cluster only",
      tags: args.tags,
    }, child);
    args.allowedSecurityGroupIds.forEach((sourceGroupId, index) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-from-sg-${index}`, {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: sourceGroupId,
        ipProtocol: "tcp", fromPort: 443, toPort: 443,
        description: "AMP remote write from the cluster",
      }, child));
    args.allowedCidrs.forEach((cidr, index) =>
      new aws.vpc.SecurityGroupIngressRule(`${name}-from-cidr-${index}`, {
        securityGroupId: securityGroup.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp", fromPort: 443, toPort: 443,
        description: "AMP remote write from the cluster",
      }, child));

    const endpoint = new aws.ec2.VpcEndpoint(`${name}-endpoint`, {
      vpcId: args.vpcId,
      serviceName: `com.amazonaws.${args.region}.aps-workspaces`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: args.subnetIds,
      securityGroupIds: [securityGroup.id],
      policy: pulumi.all([args.ingestRoleArn, args.workspaceArn]).apply(([ingestRoleArn, workspaceArn]) =>
        JSON.stringify(ampEndpointPolicy(ingestRoleArn, workspaceArn))),
      tags: args.tags,
    }, child);

    this.endpointId = endpoint.id;
    this.registerOutputs({ endpointId: this.endpointId });
  }
}
