import { expect } from "chai";
import { asArray } from "../../components/iam/policy-document";
import { loadBalancerControllerPolicy } from "../../components/unified-query/lb-controller-policy";

const scope = { partition: "aws", region: "eu-west-1", accountId: "111122223333", clusterName: "hub-prod" };
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

describe("AWS Load Balancer Controller policy", () => {
  const doc = loadBalancerControllerPolicy(scope);

  it("allows only read-only actions on Resource '*'", () => {
    const onStar = doc.Statement.filter((s) => asArray(s.Resource).includes("*")).flatMap((s) => asArray(s.Action));
    expect(onStar.length).to.be.greaterThan(20);
    expect(onStar.filter((action) => !READ_ONLY.test(action))).to.deep.equal([]);
  });

  it("puts every write action on ARNs of this account and region (or the account for global services)", () => {
    for (const statement of doc.Statement) {
      for (const resource of asArray(statement.Resource)) {
        if (resource === "*") continue;
        const [, partition, service, region, account] = resource.split(":");
        expect(partition, resource).to.equal("aws");
        expect(account, resource).to.equal("111122223333");
        if (service !== "iam" && service !== "shield") expect(region, resource).to.equal("eu-west-1");
      }
    }
  });

  it("lets the controller modify or delete only what carries this cluster's tag", () => {
    const destructive = doc.Statement.filter((s) => asArray(s.Action).some((a) => /:(Delete(LoadBalancer|TargetGroup|SecurityGroup)|Modify(LoadBalancer|TargetGroup)Attributes|SetSubnets)$/.test(a)));
    expect(destructive.length).to.be.greaterThan(0);
    for (const statement of destructive) {
      expect(statement.Condition?.StringEquals?.["aws:ResourceTag/elbv2.k8s.aws/cluster"], statement.Sid).to.equal("hub-prod");
    }
    const creates = doc.Statement.filter((s) => asArray(s.Action).includes("elasticloadbalancing:CreateLoadBalancer"));
    expect(creates).to.have.length(1);
    expect(creates[0].Condition?.StringEquals?.["aws:RequestTag/elbv2.k8s.aws/cluster"]).to.equal("hub-prod");
  });

  it("may create only the Elastic Load Balancing service-linked role", () => {
    const slr = doc.Statement.filter((s) => asArray(s.Action).includes("iam:CreateServiceLinkedRole"));
    expect(slr).to.have.length(1);
    expect(slr[0].Resource).to.equal(
      "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
    );
    expect(slr[0].Condition).to.deep.equal({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
  });

  it("fits an inline role policy and refuses a malformed scope", () => {
    expect(JSON.stringify(doc).length).to.be.below(10_240);
    expect(new Set(doc.Statement.map((s) => s.Sid)).size).to.equal(doc.Statement.length);
    expect(() => loadBalancerControllerPolicy({ ...scope, accountId: "1234" })).to.throw(/12 digits/);
    expect(() => loadBalancerControllerPolicy({ ...scope, clusterName: " " })).to.throw(/cluster name/);
  });
});
