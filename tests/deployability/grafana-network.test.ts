/**
 * Grafana must reach the unified query endpoint: an internal ALB answers only inside its
 * VPC, and AMG reaches a private endpoint only through a vpcConfiguration. Credentials
 * cross that path over TLS, to the name on the certificate.
 */
import { expect } from "chai";
import { readStackConfig } from "../../stacks/plan/stack-files";
import { hubSide, ofType, planOf } from "../support/plans";
import { PROJECT_DIR } from "../support/org-model";

describe("prod: Grafana reaches the internal Promxy over TLS", () => {
  const unifiedQuery = readStackConfig(PROJECT_DIR, "prod")["observability:unifiedQuery"] as any;

  it("puts Grafana's interfaces in Promxy's VPC, in the cluster's private subnets, behind an outbound-only group", async () => {
    const hub = hubSide(await planOf("prod"));
    const [workspace] = ofType(hub, "aws:grafana/workspace:Workspace");
    const vpc = workspace.inputs.vpcConfiguration as { subnetIds: string[]; securityGroupIds: string[] };
    expect(vpc, "vpcConfiguration").to.exist;
    expect(vpc.subnetIds).to.deep.equal(unifiedQuery.cluster.privateSubnetIds);
    const group = ofType(hub, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.endsWith("-grafana-vpc"))!;
    expect(group.inputs.vpcId).to.equal(unifiedQuery.cluster.vpcId);
    expect(vpc.securityGroupIds).to.have.length(1);
    expect(ofType(hub, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.parent === group.parent)).to.deep.equal([]);
    const egress = ofType(hub, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]);
    expect(egress).to.deep.equal([["tcp", 443, 443]]);
  });

  it("serves Promxy on an HTTPS listener with the configured certificate, and Grafana calls the certificate's name", async () => {
    const hub = hubSide(await planOf("prod"));
    const alb = ofType(hub, "kubernetes:networking.k8s.io/v1:Ingress").find((i) => (i.inputs.metadata as any).name === "promxy-alb")!;
    const annotations = (alb.inputs.metadata as any).annotations;
    expect(annotations["alb.ingress.kubernetes.io/scheme"]).to.equal("internal");
    expect(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"])).to.deep.equal([{ HTTPS: 443 }]);
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).to.equal(unifiedQuery.exposure.certificateArn);
    const source = ofType(hub, "grafana:oss/dataSource:DataSource").find((d) => d.inputs.basicAuthEnabled === true)!;
    expect(source.inputs.url).to.equal(`https://${unifiedQuery.exposure.hostname}`);
  });

  it("dev has no Promxy and so no Grafana VPC", async () => {
    const hub = hubSide(await planOf("dev"));
    expect(ofType(hub, "aws:grafana/workspace:Workspace")[0].inputs.vpcConfiguration).to.equal(undefined);
  });
});
