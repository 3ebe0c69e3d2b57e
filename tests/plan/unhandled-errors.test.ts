/**
 * An apply that throws for a resource's input reaches no caller: the Pulumi runtime re-raises
 * it as an unhandled rejection, and the engine's language host fails the program on it. The
 * plan does the same, inside the stack that raised it, instead of recording the stack without
 * the resource and letting the error surface later outside any stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { rejectionOf, runUnderPlanMocks, single } from "../support/components-under-plan";

const TARGET = { accountId: "111111111111", region: "eu-west-1" };

function topicNamed(name: pulumi.Output<string>, exportIt: boolean) {
  return runUnderPlanMocks(() => {
    const provider = new aws.Provider("deploy", { region: "eu-west-1", allowedAccountIds: [TARGET.accountId] });
    new aws.sns.Topic("alerts", { name }, { provider });
    return exportIt ? { name } : {};
  }, TARGET);
}

describe("plan: an error thrown inside an apply fails its stack", () => {
  it("fails the stack, naming it and the error, when the failing value only feeds a resource input", async () => {
    const error = await rejectionOf(topicNamed(pulumi.output("alerts").apply((): string => { throw new Error("no such account in the model"); }), false));
    expect(error.message).to.include("stack test");
    expect(error.message).to.include("no such account in the model");
  });

  it("fails it as well when the value is also a stack output", async () => {
    const error = await rejectionOf(topicNamed(pulumi.output("alerts").apply((): string => { throw new Error("bad value for an output"); }), true));
    expect(error.message).to.include("bad value for an output");
  });

  it("leaves the next stack of the same process unaffected, and no listener behind", async () => {
    const listeners = process.listenerCount("unhandledRejection");
    await rejectionOf(topicNamed(pulumi.output("x").apply((): string => { throw new Error("first stack fails"); }), false));
    const run = await topicNamed(pulumi.output("alerts"), true);
    expect(single(run.resources, "aws:sns/topic:Topic").inputs.name).to.equal("alerts");
    expect(process.listenerCount("unhandledRejection")).to.equal(listeners);
  });
});
