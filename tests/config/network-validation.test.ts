/** Reachability and transport rules: what a real deployment would fail on, refused before anything is declared. */
import { expect } from "chai";
import { validateHubConfig } from "../../stacks/config/validate";
import { HubConfigCase, expectConfigError, itRejectsHubConfig } from "../support/config-errors";
import { hubRawConfig } from "../support/org-model";

const UQ = "observability:unifiedQuery";

describe("hub config validation: cluster reachability and Promxy transport", () => {
  const prodCases: HubConfigCase[] = [
    ["a Promxy cluster with no API endpoint choice", (r) => { delete r.unifiedQuery.cluster.apiEndpoint; }, `${UQ}.cluster.apiEndpoint`, /required/],
    ["a public Promxy API without runner CIDRs", (r) => { r.unifiedQuery.cluster.apiEndpoint = { access: "public", allowedCidrs: [] }; }, `${UQ}.cluster.apiEndpoint.allowedCidrs`, /egress CIDRs/],
    ["a Promxy API open to the internet in prod", (r) => { r.unifiedQuery.cluster.apiEndpoint = { access: "public", allowedCidrs: ["0.0.0.0/0"] }; }, `${UQ}.cluster.apiEndpoint.allowedCidrs`, /open to the whole internet/],
    ["basic auth over plain HTTP in prod", (r) => { delete r.unifiedQuery.exposure.certificateArn; delete r.unifiedQuery.exposure.hostname; }, `${UQ}.exposure.certificateArn`, /plain HTTP/],
    ["a certificate without the hostname it is for", (r) => { delete r.unifiedQuery.exposure.hostname; }, `${UQ}.exposure.hostname`, /does not cover/],
    ["a certificate of another account", (r) => { r.unifiedQuery.exposure.certificateArn = r.unifiedQuery.exposure.certificateArn.replace("220987654321", "999999999999"); }, `${UQ}.exposure.certificateArn`, /not in the hub account/],
    ["an internal Promxy on an existing cluster with no subnets for Grafana", (r) => {
      r.unifiedQuery.cluster = {
        kind: "existing",
        name: "observability-prod",
        vpcId: "vpc-0d1e2f3a4b5c60718",
        oidcProviderArn: "arn:aws:iam::220987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789",
        oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789",
      };
    }, `${UQ}.grafanaSubnetIds`, /could never connect/],
    ["Grafana subnets in a single zone", (r) => { r.unifiedQuery.grafanaSubnetIds = ["subnet-0d1e2f3a4b5c60001"]; }, `${UQ}.grafanaSubnetIds`, /two availability zones/],
    ["a Grafana token lifetime AMG refuses", (r) => { r.grafana.tokenTtlDays = 45; }, "observability:grafana.tokenTtlDays", /at most 30 days/],
  ];
  itRejectsHubConfig("prod", prodCases);

  it("refuses an internet-wide demo cluster API outside dev, and accepts it in dev", () => {
    const raw = hubRawConfig("dev");
    expect(() => validateHubConfig("dev", raw)).not.to.throw();
    raw.environment = "staging";
    expectConfigError(() => validateHubConfig("staging", raw), "observability:workloads[1].clusters[0].create.apiEndpoint", /open to the whole internet/);
  });

  it("accepts plain HTTP for Promxy in dev only", () => {
    const raw = hubRawConfig("prod");
    raw.environment = "dev";
    delete raw.unifiedQuery.exposure.certificateArn;
    delete raw.unifiedQuery.exposure.hostname;
    expect(validateHubConfig("dev", raw).unifiedQuery!.exposure.certificateArn).to.equal(undefined);
  });
});
