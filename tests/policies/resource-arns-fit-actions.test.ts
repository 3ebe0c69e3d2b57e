/**
 * resource-arns-fit-actions case by case: the resource types a finding lists (each once, at
 * most four), actions that accept only `*`, a Resource that is no ARN, what is left to other
 * policies (`*`, unknown actions, NotAction, Lambda permissions) and values unknown at preview.
 */
import { expect } from "chai";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { resourceTypeOf, serviceReference } from "../../policies/analysis/reference";
import { UNKNOWN } from "../../policies/analysis/unknown";
import { CASE_ACCOUNT, resource } from "./cases";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts";
const WORKSPACE = "arn:aws:aps:eu-west-1:111111111111:workspace/ws-1";
const ROLE = "arn:aws:iam::111111111111:role/notifier";

function fit(record: ReturnType<typeof resource>): PolicyViolation[] {
  return evaluateResources([record], { accountId: CASE_ACCOUNT }).filter((v) => v.policy === "resource-arns-fit-actions");
}
const grant = (action: unknown, resources: unknown, extra: Record<string, unknown> = {}) =>
  resource("aws:iam/policy:Policy", "under-test", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Grant", Effect: "Allow", Action: action, Resource: resources, ...extra }] }) });

describe("policy resource-arns-fit-actions", () => {
  it("names the resource types of the statement's actions, each format once", () => {
    const [misfit] = fit(grant(["sns:Publish", "sns:Subscribe"], WORKSPACE));
    expect(misfit.enforcementLevel).to.equal("mandatory");
    expect(misfit.message).to.equal(
      `policy, statement "Grant": Resource "${WORKSPACE}" fits none of the resource types of sns:Publish, sns:Subscribe (topic: arn:\${Partition}:sns:\${Region}:\${Account}:\${TopicName}), ` +
        `so the statement never applies to it. Fix: name a resource of those types, or the action meant for ${WORKSPACE}.`,
    );
  });

  it("shows the first four resource types of an action with many, and how many more it has", () => {
    const [misfit] = fit(grant("ec2:CreateTags", TOPIC));
    const action = serviceReference("ec2")!.actionsByName.get("createtags")!;
    const formats = [...new Set(action.resourceTypes.map((use) => resourceTypeOf("ec2", use.name)!))];
    expect(formats.length).to.be.greaterThan(5);
    const shown = formats.slice(0, 4).map((type) => `${type.key}: ${type.arn}`).join("; ");
    expect(misfit.message).to.include(`of ec2:CreateTags (${shown} and ${formats.length - 4} more)`);
  });

  it("refuses a specific ARN on actions that accept only *, in the singular and the plural", () => {
    const [one] = fit(grant("sts:GetCallerIdentity", ROLE));
    expect(one.message).to.include(`Resource "${ROLE}" on sts:GetCallerIdentity, which accepts only Resource "*" (no resource type in the reference)`);
    expect(one.message).to.include(`Fix: use Resource "*" for these actions (in a statement of their own), or the action that acts on ${ROLE}.`);
    const [two] = fit(grant(["sts:GetCallerIdentity", "s3:ListAllMyBuckets"], ROLE));
    expect(two.message).to.include("on sts:GetCallerIdentity, s3:ListAllMyBuckets, which accept only Resource");
  });

  it("refuses a Resource that is neither * nor an ARN, and judges each resource of the list", () => {
    const violations = fit(grant("sns:Publish", ["*", "alerts", TOPIC, WORKSPACE]));
    expect(violations.map((v) => v.message.slice(0, v.message.indexOf(" Fix:")))).to.deep.equal([
      `policy, statement "Grant": Resource "alerts" is neither "*" nor an ARN, which IAM refuses (or, where it is accepted, matches no resource).`,
      `policy, statement "Grant": Resource "${WORKSPACE}" fits none of the resource types of sns:Publish (topic: arn:\${Partition}:sns:\${Region}:\${Account}:\${TopicName}), so the statement never applies to it.`,
    ]);
  });

  it("leaves *, statements with * or *:Get* among their actions, unknown actions, NotAction and Lambda permissions to other policies", () => {
    expect(fit(grant("sns:Publish", "*"))).to.deep.equal([]);
    expect(fit(grant(["*", "sns:Publish"], WORKSPACE))).to.deep.equal([]);
    expect(fit(grant(["*:Get*", "sns:Publish"], WORKSPACE))).to.deep.equal([]);
    expect(fit(grant("sts:AssumeRol", WORKSPACE))).to.deep.equal([]);
    expect(fit(grant(undefined, WORKSPACE, { NotAction: "sns:Publish" }))).to.deep.equal([]);
    const permission = resource("aws:lambda/permission:Permission", "from-topic", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: TOPIC });
    expect(fit(permission)).to.deep.equal([]);
  });

  it("reports an action or a resource unknown at preview as advisory, and an unknown action on * not at all", () => {
    const [action] = fit(grant(["sns:Publish", UNKNOWN], TOPIC));
    expect(action).to.include({ enforcementLevel: "advisory" });
    expect(action.message).to.match(/^policy, statement "Grant": an action is not known during preview, so resource-arns-fit-actions cannot judge it yet/);
    const [resourceUnknown] = fit(grant("sns:Publish", [TOPIC, UNKNOWN]));
    expect(resourceUnknown).to.include({ enforcementLevel: "advisory" });
    expect(resourceUnknown.message).to.match(/^policy, statement "Grant": Resource is not known during preview/);
    expect(fit(grant([UNKNOWN], "*"))).to.deep.equal([]);
  });
});
