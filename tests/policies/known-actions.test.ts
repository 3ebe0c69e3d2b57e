/**
 * known-actions case by case: which field and action a finding names, the suggestion it makes
 * for a misspelt prefix or name, wildcards that match nothing, Deny and NotAction, Lambda
 * permissions, reviewed exceptions and actions unknown at preview.
 */
import { expect } from "chai";
import { PackConfig } from "../../policies/config";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { UNKNOWN } from "../../policies/analysis/unknown";
import { CASE_ACCOUNT, resource } from "./cases";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts";

function knownActions(record: ReturnType<typeof resource>, config?: PackConfig): PolicyViolation[] {
  return evaluateResources([record], { accountId: CASE_ACCOUNT, config }).filter((v) => v.policy === "known-actions");
}
const identity = (...statements: Array<Record<string, unknown>>) =>
  resource("aws:iam/policy:Policy", "under-test", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
const allowing = (action: unknown) => identity({ Sid: "Grant", Effect: "Allow", Action: action, Resource: "*" });
const messages = (violations: PolicyViolation[]) => violations.map((v) => v.message);

describe("policy known-actions", () => {
  it("refuses a service prefix the reference does not know, suggesting the closest prefix with the same action name", () => {
    const [misspelt] = knownActions(allowing("cloudwatc:GetMetricData"));
    expect(misspelt.enforcementLevel).to.equal("mandatory");
    expect(misspelt.message).to.include('statement "Grant": Action "cloudwatc:GetMetricData" names service prefix "cloudwatc", which is no AWS service in the reference');
    expect(misspelt.message).to.include('Fix: use the service\'s IAM prefix (did you mean "cloudwatch:GetMetricData"?);');
    // Nothing close to "prometheus": no suggestion, only the fix.
    const [unrelated] = messages(knownActions(allowing("prometheus:RemoteWrite")));
    expect(unrelated).to.include('names service prefix "prometheus"');
    expect(unrelated).to.include("Fix: use the service's IAM prefix; ");
  });

  it("refuses an action name the service does not have, suggesting the closest one when there is one", () => {
    const [misspelt] = messages(knownActions(allowing("sts:AssumeRol")));
    expect(misspelt).to.include('Action "sts:AssumeRol" is not an action of sts in the reference, so IAM ignores it. Fix: use "sts:AssumeRole";');
    const [unrelated] = messages(knownActions(allowing("sts:Xyzzyqwertyuiop")));
    expect(unrelated).to.include('"sts:Xyzzyqwertyuiop" is not an action of sts');
    expect(unrelated).to.include("Fix: correct the action name;");
  });

  it("refuses a wildcard that matches no action of its service, asking for the pattern to be corrected", () => {
    const [pattern] = messages(knownActions(allowing("sns:Pubilsh*")));
    expect(pattern).to.include('Action "sns:Pubilsh*" matches no sns action in the reference, so it grants (or denies) nothing. Fix: correct the pattern');
    expect(knownActions(allowing(["sns:Publ*", "*:Get*", "*"]))).to.deep.equal([]);
  });

  it("checks NotAction and Deny statements, and names a Lambda permission's own argument", () => {
    const [notAction] = messages(knownActions(identity({ Sid: "Guard", Effect: "Deny", NotAction: "sts:AssumeRol", Resource: "*" })));
    expect(notAction).to.include('statement "Guard": NotAction "sts:AssumeRol" is not an action of sts');
    const permission = resource("aws:lambda/permission:Permission", "from-topic", { function: "notifier", action: "lambda:InvokeFunctio", principal: "sns.amazonaws.com", sourceArn: TOPIC });
    expect(messages(knownActions(permission))[0]).to.include('action "lambda:InvokeFunctio" is not an action of lambda in the reference, so IAM ignores it. Fix: use "lambda:InvokeFunction";');
  });

  it("accepts the reviewed exceptions of allowedActions in any case, and only those", () => {
    const config = { "known-actions": { allowedActions: ["STS:assumerol"] } };
    expect(knownActions(allowing("sts:AssumeRol"), config)).to.deep.equal([]);
    expect(knownActions(allowing(["sts:AssumeRol", "sts:TagSesion"]), config).map((v) => v.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].includes("sts:TagSesion"));
  });

  it("reports an action unknown at preview as advisory, naming the statement", () => {
    const [unknown] = knownActions(allowing(["sts:AssumeRole", UNKNOWN]));
    expect(unknown.enforcementLevel).to.equal("advisory");
    expect(unknown.message).to.match(/^policy, statement "Grant": an action is not known during preview, so known-actions cannot judge it yet/);
  });
});
