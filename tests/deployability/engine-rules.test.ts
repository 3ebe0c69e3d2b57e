/**
 * What the Pulumi engine refuses although mocks accept it: a resource, remote component or
 * invoke of a package whose default provider is disabled, without an explicit provider of
 * that package. The offline plan applies the same rule, so a plan that passes here is one
 * `pulumi preview` will not refuse for that reason.
 */
import { expect } from "chai";
import { invokeRuleViolation, providerRuleViolation } from "../../stacks/plan/provider-rules";
import { planOf } from "../support/plans";

const AWS_PROVIDER = "urn:pulumi:dev::proj::pulumi:pulumi:Stack$pulumi:providers:aws::hub-dev::id-1";
const EKS_PROVIDER = "urn:pulumi:dev::proj::pulumi:pulumi:Stack$pulumi:providers:eks::hub-dev-eks::id-2";

describe("engine provider rules (disable-default-providers)", () => {
  const remoteCluster = { type: "eks:index:Cluster", name: "c", custom: false, remote: true, provider: "" };

  it("refuses a remote eks component given only an aws provider", () => {
    expect(providerRuleViolation({ ...remoteCluster, providers: { aws: AWS_PROVIDER } }, ["*"])).to.match(/no explicit "eks" provider/);
  });

  it("accepts it with an explicit eks provider, and when eks defaults are not disabled", () => {
    expect(providerRuleViolation({ ...remoteCluster, providers: { aws: AWS_PROVIDER, eks: EKS_PROVIDER } }, ["*"])).to.equal(undefined);
    expect(providerRuleViolation({ ...remoteCluster, providers: { aws: AWS_PROVIDER } }, ["aws", "kubernetes"])).to.equal(undefined);
  });

  it("refuses a custom resource whose provider is of another package or missing", () => {
    const role = { type: "aws:iam/role:Role", name: "r", custom: true, remote: false, providers: {} };
    expect(providerRuleViolation({ ...role, provider: "" }, ["aws"])).to.match(/no explicit "aws" provider/);
    expect(providerRuleViolation({ ...role, provider: EKS_PROVIDER }, ["*"])).to.match(/no explicit "aws" provider/);
    expect(providerRuleViolation({ ...role, provider: AWS_PROVIDER }, ["*"])).to.equal(undefined);
  });

  it("ignores local components and the engine's own resources", () => {
    expect(providerRuleViolation({ type: "observability:index:Hub", name: "h", custom: false, remote: false, provider: "", providers: {} }, ["*"])).to.equal(undefined);
    expect(providerRuleViolation({ type: "pulumi:pulumi:StackReference", name: "s", custom: true, remote: false, provider: "", providers: {} }, ["*"])).to.equal(undefined);
  });

  it("refuses an invoke without its package's provider", () => {
    expect(invokeRuleViolation("aws:eks/getCluster:getCluster", undefined, ["*"])).to.match(/no explicit "aws" provider/);
    expect(invokeRuleViolation("aws:eks/getCluster:getCluster", AWS_PROVIDER, ["*"])).to.equal(undefined);
  });

  for (const environment of ["dev", "prod"]) {
    it(`${environment}: every remote component gets an explicit provider for its own package and the stack's aws provider`, async () => {
      const plan = await planOf(environment);
      const remote = plan.stacks.flatMap((s) => s.resources.filter((r) => r.providers).map((r) => ({ stack: s, r })));
      expect(remote.map(({ r }) => r.type)).to.include("eks:index:Cluster");
      for (const { stack, r } of remote) {
        const pkg = r.type.split(":")[0];
        expect(r.providers, `${stack.stack} ${r.name}`).to.have.property(pkg).that.matches(new RegExp(`\\$pulumi:providers:${pkg}::`));
        const deployProvider = stack.resources.find((p) => p.type === "pulumi:providers:aws");
        expect(r.providers!.aws, `${stack.stack} ${r.name}`).to.equal(deployProvider!.urn);
      }
    });
  }
});
