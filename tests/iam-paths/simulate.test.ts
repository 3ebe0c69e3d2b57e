/**
 * The simulation helper itself: it must refuse to answer when a decision would rest on the
 * request context rather than on the policies, and it must model what the paths rely on
 * (web identity claims, Lambda permissions, every planned IAM document attached somewhere).
 */
import { expect } from "chai";
import { ofType } from "../support/plans";
import { IncompleteContextError, NamedPolicy, decide, hypotheticalRole, indexOf, lambdaPermissionStatement, roleArn, roleSession, service, webIdentity } from "./simulate";

const ENV = "dev";

const identity = (statement: object): NamedPolicy[] => [{ name: "test identity", policy: { Version: "2012-10-17", Statement: [statement] } }];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the simulation helper to refuse");
}

describe("IAM paths: the simulation helper", () => {
  const workspace = "arn:aws:aps:eu-west-1:210987654321:workspace/ws-test";
  const caller = () => roleSession(hypotheticalRole(roleArn("210987654321", "tester")));

  it("decides on the policies when every referenced key is in the request", async () => {
    const index = await indexOf(ENV);
    const decision = await decide(index, {
      caller: caller(), action: "aps:RemoteWrite", resource: workspace,
      identityPolicies: identity({ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "210987654321" } } }),
    });
    expect(decision.result).to.equal("Allowed");
    expect(decision.context["aws:PrincipalArn"]).to.equal(roleArn("210987654321", "tester"));
    expect(decision.context["aws:ResourceAccount"]).to.equal("210987654321");
    expect(decision.context["aws:PrincipalOrgID"]).to.equal(index.organizationId);
  });

  it("refuses an Allow that matches only because a key is absent (IfExists, negated operators)", async () => {
    const index = await indexOf(ENV);
    for (const condition of [
      { StringEqualsIfExists: { "aws:SourceAccount": "999999999999" } },
      { StringNotEquals: { "aws:SourceArn": "arn:aws:aps:eu-west-1:999999999999:workspace/ws-x" } },
      { "ForAllValues:StringEquals": { "aws:SourceOrgID": ["o-other"] } },
    ]) {
      const error = await rejection(decide(index, {
        caller: caller(), action: "aps:RemoteWrite", resource: workspace,
        identityPolicies: identity({ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*", Condition: condition }),
      }));
      expect(error, JSON.stringify(condition)).to.be.instanceOf(IncompleteContextError);
      expect(error.message).to.match(/matches only because/);
    }
  });

  it("refuses an allowed request that escapes a Deny only because a key is absent", async () => {
    const index = await indexOf(ENV);
    const error = await rejection(decide(index, {
      caller: caller(), action: "aps:RemoteWrite", resource: workspace,
      identityPolicies: [{
        name: "test identity",
        policy: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*" },
            { Effect: "Deny", Action: "aps:RemoteWrite", Resource: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-0123456789abcdef0" } } },
          ],
        },
      }],
    }));
    expect(error).to.be.instanceOf(IncompleteContextError);
    expect(error.message).to.match(/allowed only because this Deny does not apply/);
  });

  it("VPC endpoint policies judge the calling principal: an endpoint that admits only the workload account refuses the hub ingest role", async () => {
    const index = await indexOf(ENV);
    const ingest = hypotheticalRole(roleArn("210987654321", "amp-ingest-test"), [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspace }] }]);
    const endpoint = {
      stack: "test", name: "test-endpoint", accountId: "310987654321", vpcId: "vpc-0123456789abcdef0", serviceName: "com.amazonaws.eu-west-1.aps-workspaces",
      policy: { name: "test endpoint policy", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "aps:RemoteWrite", Resource: workspace, Condition: { StringEquals: { "aws:PrincipalAccount": "310987654321" } } }] } },
    };
    const decision = await decide(index, { caller: roleSession(ingest), action: "aps:RemoteWrite", resource: workspace, vpcEndpoint: endpoint });
    expect([decision.result, decision.identity, decision.endpoint]).to.deep.equal(["ImplicitlyDenied", "Allowed", "ImplicitlyDenied"]);
    expect(decision.context).to.include({ "aws:SourceVpc": "vpc-0123456789abcdef0", "aws:VpceAccount": "310987654321" });
  });

  it("refuses a condition on a key that is neither in the request nor known to be absent", async () => {
    const index = await indexOf(ENV);
    const error = await rejection(decide(index, {
      caller: caller(), action: "aps:RemoteWrite", resource: workspace,
      identityPolicies: identity({ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*", Condition: { StringLike: { "aws:userid": "AROA*:prometheus" } } }),
    }));
    expect(error).to.be.instanceOf(IncompleteContextError);
    expect(error.message).to.match(/aws:userid, which is neither in the request context nor declared absent/);
  });

  it("refuses a key the simulator would drop as not applicable to the action", async () => {
    const index = await indexOf(ENV);
    const error = await rejection(decide(index, {
      caller: caller(), action: "aps:RemoteWrite", resource: workspace,
      identityPolicies: identity({ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*" }),
      context: { "kms:ViaService": "aps.eu-west-1.amazonaws.com" },
    }));
    expect(error).to.be.instanceOf(IncompleteContextError);
    expect(error.message).to.match(/drops context keys/);
  });

  it("a key known to be absent fails a positive condition: a plain denial, as on AWS", async () => {
    const index = await indexOf(ENV);
    const decision = await decide(index, {
      caller: caller(), action: "aps:RemoteWrite", resource: workspace,
      identityPolicies: identity({ Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "210987654321" } } }),
    });
    expect(decision.result).to.equal("ImplicitlyDenied");
  });

  it("service principals carry aws:SourceArn / aws:SourceAccount; their absence is known", async () => {
    const index = await indexOf(ENV);
    const topic = "arn:aws:sns:eu-west-1:210987654321:observability-alerts-dev";
    const withSource = await decide(index, { caller: service("aps.amazonaws.com", workspace, "210987654321"), action: "sns:Publish", resource: topic });
    expect(withSource.context).to.include({ "aws:SourceArn": workspace, "aws:SourceAccount": "210987654321", "aws:PrincipalServiceName": "aps.amazonaws.com" });
    expect(withSource.context).to.not.have.property("aws:PrincipalArn");
    const without = await decide(index, { caller: service("aps.amazonaws.com"), action: "sns:Publish", resource: topic });
    expect(without.result).to.equal("ImplicitlyDenied");
  });

  it("web identity: the issuer's :sub and :aud claims decide (iam-simulate drops EKS issuer keys, so they go through runUnsafeSimulation)", async () => {
    const index = await indexOf(ENV);
    const provider = "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/TEST";
    const trust: NamedPolicy = {
      name: "test trust",
      policy: {
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow", Principal: { Federated: provider }, Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/TEST:sub": "system:serviceaccount:ns:sa", "oidc.eks.eu-west-1.amazonaws.com/id/TEST:aud": "sts.amazonaws.com" } },
        }],
      },
    };
    const request = { action: "sts:AssumeRoleWithWebIdentity", resource: roleArn("210987654321", "irsa"), resourcePolicy: trust };
    const good = await decide(index, { ...request, caller: webIdentity(provider, "system:serviceaccount:ns:sa") });
    expect([good.result, good.engine]).to.deep.equal(["Allowed", "runUnsafeSimulation"]);
    expect((await decide(index, { ...request, caller: webIdentity(provider, "system:serviceaccount:ns:other") })).result).to.equal("ImplicitlyDenied");
    expect((await decide(index, { ...request, caller: webIdentity(provider, "system:serviceaccount:ns:sa", "other") })).result).to.equal("ImplicitlyDenied");
    // A claim the simulated token does not carry is not silently "missing".
    const amr = { ...trust, policy: { ...trust.policy, Statement: [{ ...trust.policy.Statement[0], Condition: { StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/TEST:amr": "x" } } }] } };
    const error = await rejection(decide(index, { ...request, resourcePolicy: amr, caller: webIdentity(provider, "system:serviceaccount:ns:sa") }));
    expect(error).to.be.instanceOf(IncompleteContextError);
  });

  it("builds a function's resource policy from its Permission resources as Lambda does", async () => {
    const statement = lambdaPermissionStatement(
      { urn: "u", type: "aws:lambda/permission:Permission", name: "p", custom: true, parent: null, provider: null, accountId: "210987654321",
        inputs: { action: "lambda:InvokeFunction", function: "f", principal: "sns.amazonaws.com", sourceArn: "arn:aws:sns:eu-west-1:210987654321:t", sourceAccount: "210987654321" } },
      "arn:aws:lambda:eu-west-1:210987654321:function:f",
    );
    expect(statement).to.deep.equal({
      Sid: "p", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "lambda:InvokeFunction",
      Resource: "arn:aws:lambda:eu-west-1:210987654321:function:f",
      Condition: { StringEquals: { "AWS:SourceAccount": "210987654321" }, ArnLike: { "AWS:SourceArn": "arn:aws:sns:eu-west-1:210987654321:t" } },
    });
  });

  for (const environment of ["dev", "prod"]) {
    it(`${environment}: every planned role, role policy and resource policy is in the index`, async () => {
      const index = await indexOf(environment);
      for (const stack of index.plan.stacks) {
        expect(ofType(stack, "aws:iam/role:Role").length, stack.stack).to.equal([...index.roles.values()].filter((r) => r.stack === stack.stack).length);
        const attached = [...index.roles.values()].filter((r) => r.stack === stack.stack).flatMap((r) => r.policies).length;
        const declared = ofType(stack, "aws:iam/rolePolicy:RolePolicy").length;
        expect(attached, `${stack.stack}: inline policies attached to roles`).to.be.at.least(declared);
      }
      const withPolicy = [...index.resources.values()].filter((r) => r.policy).map((r) => r.type);
      for (const type of ["aws:sns/topic:Topic", "aws:sqs/queue:Queue", "aws:cloudwatch/eventBus:EventBus", "aws:kms/key:Key", "aws:lambda/function:Function"]) {
        expect(withPolicy, type).to.include(type);
      }
    });
  }
});
