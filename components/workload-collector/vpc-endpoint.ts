/**
 * Interface endpoint for `aps-workspaces` so remote writes stay on the AWS network: private
 * DNS, 443 admitted only from the cluster, and an endpoint policy that allows only this
 * account's principals to remote-write to its hub workspace.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../iam/policy-document";

export interface AmpVpcEndpointArgs {
  region: string;
  accountId: string;
  vpcId: string;
  subnetIds: string[];
  allowedSecurityGroupIds: string[];
  allowedCidrs: string[];
  workspaceArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

export function ampEndpointPolicy(accountId: string, workspaceArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "RemoteWriteFromThisAccountOnly",
        Effect: "Allow",
        Principal: "*",
        Action: "aps:RemoteWrite",
        Resource: workspaceArn,
        Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
      },
    ],
  };
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
      policy: pulumi.output(args.workspaceArn).apply((arn) => JSON.stringify(ampEndpointPolicy(args.accountId, arn))),
      tags: args.tags,
    }, child);

    this.endpointId = endpoint.id;
    this.registerOutputs({ endpointId: this.endpointId });
  }
}
