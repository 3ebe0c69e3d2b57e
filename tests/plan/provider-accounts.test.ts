/**
 * Every stack deploys into exactly one account: the plan takes a resource's account from its
 * aws provider's allowedAccountIds, so a provider that allows two accounts has no single
 * target and the plan refuses it instead of planning for the first one.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { single, rejectionOf, runUnderPlanMocks } from "../support/components-under-plan";

const FALLBACK = { accountId: "999999999999", region: "eu-west-1" };
const HUB = "111111111111";
const WORKLOAD = "222222222222";

function roleUnder(allowedAccountIds: string[]) {
  return runUnderPlanMocks(() => {
    const provider = new aws.Provider("deploy", { region: "eu-west-1", allowedAccountIds });
    const role = new aws.iam.Role("reader", { name: "reader", assumeRolePolicy: "{}" }, { provider });
    return { roleArn: role.arn };
  }, FALLBACK);
}

describe("plan: the account of an aws provider", () => {
  it("plans a provider's resources in its one allowed account", async () => {
    const run = await roleUnder([WORKLOAD]);
    expect(run.outputs.roleArn).to.equal(`arn:aws:iam::${WORKLOAD}:role/reader`);
    expect(single(run.resources, "aws:iam/role:Role").accountId).to.equal(WORKLOAD);
  });

  it("refuses a provider that allows two accounts, naming both, rather than planning for the first", async () => {
    const error = await rejectionOf(roleUnder([HUB, WORKLOAD]));
    expect(error.message).to.include(`aws provider "deploy" allows 2 accounts (${HUB}, ${WORKLOAD})`);
    expect(error.message).to.include("allowedAccountIds must name only that account");
  });
});
