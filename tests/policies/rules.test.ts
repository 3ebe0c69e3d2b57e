import { expect } from "chai";
import { policyDocument, policyJson } from "../../components/iam/policy-document";
import { allowCloudWatchReadForGrafana } from "../../components/iam/statements";
import { classifyAction } from "../../policies/analysis/reference";
import { readDocuments } from "../../policies/analysis/documents";
import { restricts } from "../../policies/analysis/statements";
import { ENGINE_UNKNOWN_STRING } from "../../policies/analysis/unknown";
import { RESOURCE_RULES, STACK_RULES } from "../../policies/catalog";
import { PackConfig, validatePackConfig } from "../../policies/config";
import { evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { isServiceWideWildcard } from "../../policies/rules/no-wildcard-actions";
import { broadManagedPolicyReason } from "../../policies/rules/no-broad-managed-policies";
import { toPlain, UNKNOWN } from "../../policies/analysis/unknown";
import { PolicyViolation } from "../../policies/evaluate";
import { BAD_CASES, CASE_ACCOUNT, GOOD_CASES, HUB, resource, STACK_BAD, STACK_GOOD, UNKNOWN_CASES } from "./cases";

describe("policy rules over plain resource records", () => {
  it("has at least 40 bad and 20 good cases, and bad cases for every resource policy", () => {
    expect(BAD_CASES.length).to.be.at.least(40);
    expect(GOOD_CASES.length).to.be.at.least(20);
    const covered = new Set(BAD_CASES.map((c) => c.policy));
    expect([...covered].sort()).to.deep.equal(RESOURCE_RULES.map((r) => r.name).sort());
  });

  describe("bad cases: flagged as mandatory (advisory for an advisory policy), naming the statement and the fix", () => {
    for (const badCase of BAD_CASES) {
      it(`${badCase.policy}: ${badCase.title}`, () => {
        const violations = evaluateResources([badCase.record], { accountId: CASE_ACCOUNT });
        const hit = violations.find((v) => v.policy === badCase.policy && v.enforcementLevel === (badCase.level ?? "mandatory"));
        expect(hit, JSON.stringify(violations, null, 1)).to.not.equal(undefined);
        expect(hit!.message).to.include(badCase.names);
        expect(hit!.message).to.match(/Fix: \S/);
      });
    }
  });

  describe("good cases: no finding from any policy", () => {
    for (const goodCase of GOOD_CASES) {
      it(goodCase.title, () => {
        expect(evaluateResources([goodCase.record], { accountId: CASE_ACCOUNT, config: goodCase.config })).to.deep.equal([]);
      });
    }
  });

  describe("values unknown at preview: advisory, never a crash or a pass", () => {
    for (const unknownCase of UNKNOWN_CASES) {
      it(unknownCase.title, () => {
        const accountId = "accountId" in unknownCase ? unknownCase.accountId : CASE_ACCOUNT;
        const violations = evaluateResources([unknownCase.record], { accountId });
        expect(violations.length).to.be.greaterThan(0);
        expect(violations.map((v) => v.enforcementLevel)).to.deep.equal(violations.map(() => "advisory"));
        // Each policy that reads the unknown value says so; none stays silent, none guesses.
        expect([...new Set(violations.map((v) => v.policy))].sort()).to.deep.equal([...unknownCase.flaggedBy].sort());
      });
    }
    it("treats the engine's unknown sentinel like the plan's marker", () => {
      const record = resource("aws:iam/rolePolicy:RolePolicy", "sentinel", { role: "x", policy: ENGINE_UNKNOWN_STRING });
      const violations = evaluateResources([record]);
      expect(violations.length).to.be.greaterThan(0);
      expect(violations.every((v) => v.enforcementLevel === "advisory" && v.message.includes("not known during preview"))).to.equal(true);
    });
  });

  describe("stack policy remote-write-one-workspace-per-role", () => {
    for (const stackCase of STACK_BAD) {
      it(`flags ${stackCase.title}`, () => {
        const violations = evaluateResources(stackCase.records, { accountId: CASE_ACCOUNT });
        const hit = violations.find((v) => v.policy === "remote-write-one-workspace-per-role");
        expect(hit?.enforcementLevel).to.equal("mandatory");
        expect(hit?.message).to.match(/statement "[A-Za-z]+".*Fix: /);
      });
    }
    it("passes one workspace per ingest role", () => {
      expect(evaluateResources(STACK_GOOD, { accountId: CASE_ACCOUNT })).to.deep.equal([]);
    });
  });

  describe("documents as JSON strings or objects", () => {
    it("reads the same statements from a string and from an object, single statement or list", () => {
      const document = policyDocument({ Sid: "A", Effect: "Allow", Action: "sns:Publish", Resource: "*" });
      const asString = readDocuments(resource("aws:iam/policy:Policy", "s", { policy: policyJson(document) }));
      const asObject = readDocuments(resource("aws:iam/policy:Policy", "o", { policy: { Version: "2012-10-17", Statement: document.Statement[0] } }));
      expect(asString).to.deep.equal(asObject);
      expect(asString[0].status).to.equal("ok");
    });
    it("reports an unreadable document once, as mandatory, instead of passing it", () => {
      const violations = evaluateResources([resource("aws:iam/policy:Policy", "broken", { policy: "{not json" })]);
      expect(violations).to.have.length(1);
      expect(violations[0]).to.include({ policy: "no-wildcard-actions", enforcementLevel: "mandatory" });
      expect(violations[0].message).to.include("cannot read the IAM document");
    });
    it("ignores resources that carry no IAM document", () => {
      expect(evaluateResources([resource("aws:amp/workspace:Workspace", "ws", { alias: "payments" })])).to.deep.equal([]);
    });
  });

  describe("Resource \"*\" judged by the Service Authorization Reference", () => {
    it("puts on * only what the reference gives no resource type, and the project's reviewed exceptions, in allowCloudWatchReadForGrafana", () => {
      const [accountWide, ...scoped] = allowCloudWatchReadForGrafana(HUB);
      expect(accountWide.Resource).to.equal("*");
      const resourceLevel = (accountWide.Action as string[]).filter((action) => classifyAction(action).support !== "star-only");
      // The reference gives these an optional resource type (a dataset); CloudWatch accepts "*" for them,
      // so they stay on * through policies/policy-config.json. logs:GetQueryResults is scoped to log groups.
      expect(resourceLevel).to.deep.equal(["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"]);
      const exceptions = (loadProjectPolicyConfig()["no-wildcard-resource"] as { starOnlyActions: string[] }).starOnlyActions;
      expect(exceptions).to.include.members(resourceLevel);
      for (const statement of scoped) {
        for (const action of [statement.Action].flat() as string[]) expect(classifyAction(action).support, action).to.equal("resource-level");
      }
    });
    it("classifies star-only actions of every service, patterns by the actions they cover, and unknown actions", () => {
      for (const action of ["ec2:DescribeInstances", "xray:PutTraceSegments", "s3:ListAllMyBuckets", "sts:GetCallerIdentity", "logs:DescribeLogGroups"]) {
        expect(classifyAction(action).support, action).to.equal("star-only");
      }
      expect(classifyAction("logs:Describe*").resourceLevelMatches).to.include("logs:DescribeLogStreams");
      // Some EC2 Describe actions take a resource (DescribeInstanceAttribute: instance), so the pattern does too.
      expect(classifyAction("ec2:Describe*").support).to.equal("resource-level");
      expect(classifyAction("xray:Put*").support).to.equal("star-only");
      expect(classifyAction("s3:GetObject").support).to.equal("resource-level");
      expect(classifyAction("s3:GetObject", ["s3:GetObject"]).support).to.equal("star-only");
      expect(classifyAction("APS:remotewrite").support).to.equal("resource-level");
      expect(classifyAction("aps:RemoteWrites").support).to.equal("unknown");
      expect(classifyAction("prometheus:RemoteWrite").support).to.equal("unknown");
    });
    it("recognises whole-service wildcards but not narrower patterns", () => {
      expect(["*", "aps:*", "IAM:*", "*:Get*", "sqs:**"].map(isServiceWideWildcard)).to.deep.equal([true, true, true, true, true]);
      expect(["aps:Get*", "aps:RemoteWrite", "ec2:Describe*"].map(isServiceWideWildcard)).to.deep.equal([false, false, false]);
    });
  });

  describe("conditions", () => {
    it("counts only positive, present-key conditions with real values as restricting", () => {
      const entry = (operator: string, values: string[]) => ({ operator, key: "aws:PrincipalOrgID", values });
      expect(restricts(entry("StringEquals", ["o-abc"]))).to.equal(true);
      expect(restricts(entry("ForAnyValue:StringLike", ["o-abc*"]))).to.equal(true);
      expect(restricts(entry("StringEqualsIfExists", ["o-abc"]))).to.equal(false);
      expect(restricts(entry("StringNotEquals", ["o-abc"]))).to.equal(false);
      expect(restricts(entry("ForAllValues:StringEquals", ["o-abc"]))).to.equal(false);
      expect(restricts(entry("StringLike", ["*"]))).to.equal(false);
      expect(restricts(entry("Null", ["false"]))).to.equal(false);
    });
  });

  describe("configuration", () => {
    const admin = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "break-glass", { role: "break-glass", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
    it("downgrades a policy to advisory", () => {
      const [violation] = evaluateResources([admin], { config: { "no-broad-managed-policies": "advisory" } });
      expect(violation.enforcementLevel).to.equal("advisory");
    });
    it("takes Pulumi's `all` key as every policy's level, below a policy's own entry", () => {
      expect(evaluateResources([admin], { config: { all: "advisory" } })[0].enforcementLevel).to.equal("advisory");
      expect(evaluateResources([admin], { config: { all: "advisory", "no-broad-managed-policies": "mandatory" } })[0].enforcementLevel).to.equal("mandatory");
    });
    it("disables a policy", () => {
      expect(evaluateResources([admin], { config: { "no-broad-managed-policies": { enforcementLevel: "disabled" } } })).to.deep.equal([]);
    });
    it("skips an exempt resource by name or URN, for that policy only", () => {
      expect(evaluateResources([admin], { config: { "no-broad-managed-policies": { exemptResources: ["break-glass"] } } })).to.deep.equal([]);
      expect(evaluateResources([admin], { config: { "no-broad-managed-policies": { exemptResources: [admin.urn] } } })).to.deep.equal([]);
      expect(evaluateResources([admin], { config: { "pass-role-scoped": { exemptResources: ["break-glass"] } } })).to.have.length(1);
    });
    it("refuses a config file with a misspelt enforcementLevel, value or key, naming the policy", () => {
      const validate = (raw: unknown) => () => validatePackConfig(raw, [...RESOURCE_RULES, ...STACK_RULES], "policy-config.json");
      expect(validate({ "no-broad-managed-policies": "mandtory" })).to.throw(/policy-config\.json: policy "no-broad-managed-policies" has enforcementLevel "mandtory"; use advisory, mandatory or disabled/);
      expect(validate({ "no-broad-managed-policies": { enforcementLevel: "Advisory" } })).to.throw(/policy "no-broad-managed-policies" has enforcementLevel "Advisory"/);
      expect(validate({ all: { enforcementLevel: "advsory" } })).to.throw(/policy "all" has enforcementLevel "advsory"/);
      expect(validate({ "no-broad-managed-policies": { enforcmentLevel: "advisory" } })).to.throw(/policy "no-broad-managed-policies" has no setting "enforcmentLevel" \(known: enforcementLevel, exemptResources, allowedPolicies, /);
      expect(validate({ all: { enforcementlevel: "advisory" } })).to.throw(/policy "all" has no setting "enforcementlevel"/);
      expect(validate({ "remote-write-one-workspace-per-role": { exemptResources: [], allowedPolicies: [] } })).to.throw(/has no setting "allowedPolicies"/);
      const good = { all: "advisory", "no-broad-managed-policies": { enforcementLevel: "disabled", exemptResources: [], allowedPolicies: [] }, "deprecated-actions": "mandatory" };
      expect(validate(good)()).to.deep.equal(good);
      expect(validatePackConfig(loadProjectPolicyConfig(), [...RESOURCE_RULES, ...STACK_RULES], "policy-config.json")).to.deep.equal(loadProjectPolicyConfig());
    });
    it("refuses a config that is not an object of levels or setting objects, and lists the known policies for an unknown one", () => {
      const validate = (raw: unknown) => () => validatePackConfig(raw, [...RESOURCE_RULES, ...STACK_RULES], "policy-config.json");
      for (const raw of [null, [], "mandatory", 3]) expect(validate(raw), JSON.stringify(raw)).to.throw(/^policy-config\.json: policy config must be an object keyed by policy name$/);
      expect(validate({ "no-such-policy": "advisory" })).to.throw(`policy-config.json: unknown policy "no-such-policy" (known: ${RESOURCE_RULES[0].name}, ${RESOURCE_RULES[1].name}, `);
      expect(validate({ "no-broad-managed-policies": { enforcementLevel: 3 } })).to.throw(/policy "no-broad-managed-policies" has enforcementLevel 3; use advisory, mandatory or disabled/);
      for (const entry of [null, 3, true, ["AdministratorAccess"]]) {
        expect(validate({ "no-broad-managed-policies": entry }), JSON.stringify(entry)).to.throw(/^policy-config\.json: policy "no-broad-managed-policies" config must be a level or an object$/);
      }
      expect(validate({ "no-broad-managed-policies": { allowedPolicy: [] } })).to.throw(/has no setting "allowedPolicy" \(known: enforcementLevel, exemptResources, allowedPolicies, additionalBroadPolicies\)$/);
    });
    it("takes `all` as an object with an enforcementLevel too", () => {
      expect(evaluateResources([admin], { config: { all: { enforcementLevel: "advisory" } } })[0].enforcementLevel).to.equal("advisory");
    });
    it("disables a stack policy", () => {
      const records = STACK_BAD[0].records;
      expect(evaluateResources(records, { accountId: CASE_ACCOUNT }).some((v) => v.policy === "remote-write-one-workspace-per-role")).to.equal(true);
      expect(evaluateResources(records, { accountId: CASE_ACCOUNT, config: { "remote-write-one-workspace-per-role": "disabled" } }).some((v) => v.policy === "remote-write-one-workspace-per-role")).to.equal(false);
    });
    it("accepts a reviewed exception through a policy's own option", () => {
      expect(evaluateResources([admin], { config: { "no-broad-managed-policies": { allowedPolicies: ["AdministratorAccess"] } } })).to.deep.equal([]);
      const describeAll = resource("aws:iam/policy:Policy", "describe", { policy: policyJson(policyDocument({ Sid: "Certificates", Effect: "Allow", Action: "acm:DescribeCertificate", Resource: "*" })) });
      expect(evaluateResources([describeAll])).to.have.length(1);
      expect(evaluateResources([describeAll], { config: { "no-wildcard-resource": { starOnlyActions: ["acm:DescribeCertificate"] } } })).to.deep.equal([]);
    });
  });

  describe("rule by rule: what a finding names, and what each rule leaves alone", () => {
    const WORKSPACE_A = "arn:aws:aps:eu-west-1:111111111111:workspace/ws-a";
    const WORKSPACE_B = "arn:aws:aps:eu-west-1:111111111111:workspace/ws-b";
    const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alerts";
    const json = (...statements: Array<Record<string, unknown>>) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const lambdaTrust = json({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
    const identityPolicy = (name: string, ...statements: Array<Record<string, unknown>>) => resource("aws:iam/policy:Policy", name, { policy: json(...statements) });
    const of = (policy: string, records: ReturnType<typeof resource>[], config?: PackConfig): PolicyViolation[] =>
      evaluateResources(records, { accountId: CASE_ACCOUNT, config }).filter((v) => v.policy === policy);
    const summary = (violations: PolicyViolation[]) => violations.map((v) => `${v.enforcementLevel} ${v.resourceName}: ${v.message}`);

    describe("scoped-wildcards", () => {
      const policy = "scoped-wildcards";
      it("names every any-account ARN of the statement and how to pin the owner", () => {
        const [finding] = of(policy, [identityPolicy("assume", { Sid: "A", Effect: "Allow", Action: "sts:AssumeRole", Resource: ["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"] })]);
        expect(finding.message).to.equal(
          'policy, statement "A": Resource arn:aws:iam::*:role/a, arn:aws:iam::*:role/b matches that name in every AWS account. ' +
            'Fix: add a condition that pins the resource\'s owner, e.g. "StringEquals": {"aws:ResourceOrgID": "o-..."} (or aws:ResourceAccount with the account ids), or name each ARN.',
        );
      });
      it("names only the AMP data actions on a wildcard workspace, and wants a resource tag, not any condition", () => {
        const statement = { Sid: "Amp", Effect: "Allow", Action: ["aps:RemoteWrite", "aps:ListWorkspaces", "aps:QueryMetrics"], Resource: "arn:aws:aps:eu-west-1:111111111111:workspace/*" };
        const [finding] = of(policy, [identityPolicy("amp", statement)]);
        expect(finding.message).to.match(/^policy, statement "Amp": aps:RemoteWrite, aps:QueryMetrics on arn:aws:aps:eu-west-1:111111111111:workspace\/\* reaches every workspace of the account/);
        expect(finding.message).to.include('Fix: add "StringEquals": {"aws:ResourceTag/observability:environment": "<env>"}');
        expect(of(policy, [identityPolicy("amp", { ...statement, Condition: { StringEquals: { "aws:PrincipalTag/team": "observability" } } })])).to.have.length(1);
        expect(of(policy, [identityPolicy("amp", { ...statement, Condition: { StringEquals: { "aws:ResourceTag/observability:environment": "dev" } } })])).to.deep.equal([]);
        expect(of(policy, [identityPolicy("amp", { ...statement, Action: ["aps:ListWorkspaces", "aps:DescribeWorkspace"] })])).to.deep.equal([]);
      });
      it("leaves Deny statements alone", () => {
        expect(of(policy, [identityPolicy("deny", { Sid: "D", Effect: "Deny", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/a" })])).to.deep.equal([]);
      });
      it("reports an unknown resource or action as advisory only beside a wildcard it would judge", () => {
        const withWildcard = of(policy, [identityPolicy("u", { Sid: "U", Effect: "Allow", Action: "sts:AssumeRole", Resource: ["arn:aws:iam::*:role/a", UNKNOWN] })]);
        expect(summary(withWildcard)).to.deep.equal(["advisory u: policy, statement \"U\": Resource or Action is not known during preview, so scoped-wildcards cannot judge it yet; it is checked again when the value is known (on update)."]);
        const actionUnknown = of(policy, [identityPolicy("u", { Sid: "U", Effect: "Allow", Action: ["aps:RemoteWrite", UNKNOWN], Resource: "arn:aws:aps:eu-west-1:111111111111:workspace/*" })]);
        expect(actionUnknown.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(of(policy, [identityPolicy("u", { Sid: "U", Effect: "Allow", Action: "sts:AssumeRole", Resource: [UNKNOWN, "arn:aws:iam::111111111111:role/a"] })])).to.deep.equal([]);
      });
    });

    describe("remote-write-one-workspace-per-role", () => {
      const policy = "remote-write-one-workspace-per-role";
      const write = (sid: string, resources: unknown) => ({ Sid: sid, Effect: "Allow", Action: "aps:RemoteWrite", Resource: resources });
      it("adds a Role's inline policies and the RolePolicy resources naming it, and names each grant", () => {
        const role = resource("aws:iam/role:Role", "ingest-role", { name: "ingest", assumeRolePolicy: lambdaTrust, inlinePolicies: [{ name: "a", policy: json(write("WriteA", WORKSPACE_A)) }] });
        const rolePolicy = resource("aws:iam/rolePolicy:RolePolicy", "write-b", { role: "ingest", policy: json(write("WriteB", WORKSPACE_B)) });
        expect(summary(of(policy, [role, rolePolicy]))).to.deep.equal([
          `mandatory ingest-role: role ingest: aps:RemoteWrite reaches 2 workspaces (${WORKSPACE_A}, ${WORKSPACE_B}) through inlinePolicies[0].policy, statement "WriteA" of ingest-role; ` +
            `policy, statement "WriteB" of write-b. Fix: give each account's ingest role allowRemoteWrite(<that account's workspace ARN>) only, one workspace per role.`,
        ]);
        // A Role without a name input is named by its resource name.
        const unnamed = resource("aws:iam/role:Role", "ingest", { assumeRolePolicy: lambdaTrust, inlinePolicies: [{ name: "a", policy: json(write("WriteA", WORKSPACE_A)) }] });
        expect(of(policy, [unnamed, rolePolicy])[0].message).to.match(/^role ingest: aps:RemoteWrite reaches 2 workspaces/);
      });
      it("names a document of no known role by its resource, and a wildcard as a pattern", () => {
        const [two] = of(policy, [identityPolicy("managed", write("W", [WORKSPACE_B, WORKSPACE_A]))]);
        expect(two.message).to.match(new RegExp(`^aws:iam/policy:Policy managed: aps:RemoteWrite reaches 2 workspaces \\(${WORKSPACE_A}, ${WORKSPACE_B}\\) through policy, statement "W" of managed\\.`));
        const [pattern] = of(policy, [identityPolicy("managed", write("W", "arn:aws:aps:eu-west-1:111111111111:workspace/ws-*"))]);
        expect(pattern.message).to.include("aps:RemoteWrite reaches workspace patterns arn:aws:aps:eu-west-1:111111111111:workspace/ws-* through");
        expect(of(policy, [identityPolicy("managed", write("W", WORKSPACE_A))])).to.deep.equal([]);
      });
      it("leaves Deny statements and exempt resources alone", () => {
        expect(of(policy, [identityPolicy("managed", { ...write("W", [WORKSPACE_A, WORKSPACE_B]), Effect: "Deny" })])).to.deep.equal([]);
        expect(of(policy, [identityPolicy("managed", write("W", [WORKSPACE_A, WORKSPACE_B]))], { [policy]: { exemptResources: ["managed"] } })).to.deep.equal([]);
      });
      it("reports an unknown action or resource as advisory, naming which", () => {
        const violations = of(policy, [identityPolicy("managed", write("W", [WORKSPACE_A, UNKNOWN]), { Sid: "X", Effect: "Allow", Action: ["aps:QueryMetrics", UNKNOWN], Resource: WORKSPACE_A })]);
        expect(violations.map((v) => `${v.enforcementLevel} ${v.message.slice(0, v.message.indexOf(" is not known"))}`)).to.deep.equal([
          'advisory policy, statement "W": Resource',
          'advisory policy, statement "X": an action',
        ]);
      });
    });

    describe("service-principal-source-pinned", () => {
      const policy = "service-principal-source-pinned";
      const topicPolicy = (statement: Record<string, unknown>) => resource("aws:sns/topicPolicy:TopicPolicy", "topic-policy", { arn: TOPIC, policy: json(statement) });
      const publish = { Sid: "S", Effect: "Allow", Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }, Action: "sns:Publish", Resource: TOPIC };
      it("names every service principal admitted unpinned, and the conditions that pin them", () => {
        expect(of(policy, [topicPolicy(publish)])[0].message).to.equal(
          'policy, statement "S": service principal cloudwatch.amazonaws.com, events.amazonaws.com is admitted without aws:SourceArn or aws:SourceAccount, so the service may act here on behalf of any AWS account (confused deputy). ' +
            'Fix: add a condition ArnEquals "aws:SourceArn": "<the resource acting, e.g. the AMP workspace ARN>" and/or StringEquals "aws:SourceAccount": "<account id>".',
        );
      });
      it("takes an empty sourceArn for none, and labels a permission whose statementId is unknown by its index", () => {
        const permission = resource("aws:lambda/permission:Permission", "from-topic", { function: "notifier", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: "", statementId: UNKNOWN });
        expect(of(policy, [permission]).map((v) => v.message.slice(0, v.message.indexOf(":", v.message.indexOf("Statement"))))).to.deep.equal(["principal, Statement[0] (no Sid)"]);
      });
      it("tells a Lambda permission to set its own arguments", () => {
        const permission = resource("aws:lambda/permission:Permission", "from-rule", { function: "notifier", action: "lambda:InvokeFunction", principal: "events.amazonaws.com" });
        expect(of(policy, [permission])[0].message).to.include("Fix: set sourceArn (the rule, topic or bucket that invokes the function) or sourceAccount on the Permission.");
      });
      it("accepts the reviewed exceptions of allowedServicePrincipals, and leaves Deny alone", () => {
        const config = { [policy]: { allowedServicePrincipals: ["cloudwatch.amazonaws.com"] } };
        expect(of(policy, [topicPolicy(publish)], config)[0].message).to.include("service principal events.amazonaws.com is admitted");
        expect(of(policy, [topicPolicy({ ...publish, Principal: { Service: "cloudwatch.amazonaws.com" } })], config)).to.deep.equal([]);
        expect(of(policy, [topicPolicy({ ...publish, Effect: "Deny" })])).to.deep.equal([]);
      });
      it("reports an unknown principal or source condition as advisory, naming which", () => {
        const principal = of(policy, [topicPolicy({ ...publish, Principal: { Service: UNKNOWN } })]);
        const source = of(policy, [topicPolicy({ ...publish, Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } })]);
        expect([...principal, ...source].map((v) => `${v.enforcementLevel} ${v.message.slice(0, v.message.indexOf(" is not known"))}`)).to.deep.equal([
          'advisory policy, statement "S": Principal',
          'advisory policy, statement "S": the source condition',
        ]);
      });
    });

    describe("pass-role-scoped", () => {
      const policy = "pass-role-scoped";
      const passRole = (extra: Record<string, unknown>) => identityPolicy("pass", { Sid: "P", Effect: "Allow", Action: "iam:PassRole", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }, ...extra });
      it("names the resources that are no exact role ARN, or that there is none", () => {
        expect(of(policy, [passRole({ Resource: ["arn:aws:iam::111111111111:role/a-*", "arn:aws:iam::111111111111:role/ok", "*"] })])[0].message).to.match(
          /^policy, statement "P": iam:PassRole on arn:aws:iam::111111111111:role\/a-\*, \* lets the holder hand any matching role to a service\. Fix: list the exact role ARNs/,
        );
        expect(of(policy, [passRole({})])[0].message).to.include("iam:PassRole on no named role lets the holder");
        expect(of(policy, [passRole({ Resource: "arn:aws:iam::111111111111:role/ok" })])).to.deep.equal([]);
      });
      it("reports an unknown resource or service condition as advisory, and leaves Deny alone", () => {
        const resourceUnknown = of(policy, [passRole({ Resource: ["arn:aws:iam::111111111111:role/ok", UNKNOWN] })]);
        const serviceUnknown = of(policy, [passRole({ Resource: "arn:aws:iam::111111111111:role/ok", Condition: { StringEquals: { "iam:PassedToService": UNKNOWN } } })]);
        expect([...resourceUnknown, ...serviceUnknown].map((v) => `${v.enforcementLevel} ${v.message.slice(0, v.message.indexOf(" is not known"))}`)).to.deep.equal([
          'advisory policy, statement "P": Resource',
          'advisory policy, statement "P": the iam:PassedToService condition',
        ]);
        expect(of(policy, [passRole({ Effect: "Deny", Resource: "*", Condition: undefined })])).to.deep.equal([]);
      });
    });

    describe("reading statements", () => {
      it("skips statements that are no object, and reports an unknown statement or Effect by its index", () => {
        const record = resource("aws:iam/policy:Policy", "odd", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [null, 5, UNKNOWN, { Sid: "E", Effect: UNKNOWN, Action: "sns:Publish", Resource: "*" }] }) });
        expect(of("no-wildcard-actions", [record]).map((v) => `${v.enforcementLevel} ${v.message.slice(0, v.message.indexOf(" is not known"))}`)).to.deep.equal([
          "advisory policy, Statement[2]",
          "advisory policy, Statement[3]: Effect",
        ]);
      });
      it("copies the engine's properties into plain data, its unknown sentinels as the plan's marker", () => {
        expect(toPlain({ a: ENGINE_UNKNOWN_STRING, b: [1, UNKNOWN, "x"], c: null, d: { e: true } })).to.deep.equal({ a: UNKNOWN, b: [1, UNKNOWN, "x"], c: null, d: { e: true } });
      });
    });

    describe("no-broad-managed-policies", () => {
      const policy = "no-broad-managed-policies";
      it("refuses names ending in FullAccess (or FullAccess_v<n>), and names added by config", () => {
        const reason = (name: string, options = {}) => broadManagedPolicyReason(`arn:aws:iam::aws:policy/${name}`, options);
        expect(reason("AWSLambda_FullAccess")).to.equal("every action of its service on every resource");
        expect(reason("ExampleFullAccess_v2")).to.equal("every action of its service on every resource");
        expect(reason("ExampleFullAccess_v12")).to.equal("every action of its service on every resource");
        for (const name of ["ExampleFullAccess_vNext", "ExampleFullAccessForBilling", "AmazonS3ReadOnlyAccess"]) expect(reason(name), name).to.equal(undefined);
        expect(reason("AmazonS3ReadOnlyAccess", { additionalBroadPolicies: ["AmazonS3ReadOnlyAccess"] })).to.equal("access this project has reviewed as too broad");
        expect(reason("AWSLambda_FullAccess", { allowedPolicies: ["AWSLambda_FullAccess"] })).to.equal(undefined);
      });
      it("reports an unknown list or an unknown entry as advisory, naming which", () => {
        const role = (name: string, managedPolicyArns: unknown) => resource("aws:iam/role:Role", name, { name, assumeRolePolicy: lambdaTrust, managedPolicyArns });
        const violations = of(policy, [role("whole", UNKNOWN), role("entry", ["arn:aws:iam::aws:policy/ReadOnlyAccess", UNKNOWN]), role("none", null)]);
        expect(violations.map((v) => `${v.enforcementLevel} ${v.resourceName}: ${v.message.slice(0, v.message.indexOf(" is not known"))}`)).to.deep.equal([
          "advisory whole: managedPolicyArns",
          "advisory entry: managedPolicyArns[1]",
        ]);
      });
    });
  });
});

describe("service-principal-source-pinned: CloudWatch Logs is pinned by the log group in the encryption context", () => {
  const findingsFor = (statement: Record<string, unknown>) =>
    evaluateResources([resource("aws:kms/key:Key", "logs-key", { description: "logs", policy: policyJson(policyDocument(statement as never)) })], { accountId: CASE_ACCOUNT })
      .filter((v) => v.policy === "service-principal-source-pinned");
  const logsStatement = (condition?: Record<string, unknown>, services: string[] = ["logs.eu-west-1.amazonaws.com"]) =>
    ({ Sid: "LogsUseKey", Effect: "Allow", Principal: { Service: services.length === 1 ? services[0] : services }, Action: ["kms:Decrypt*", "kms:GenerateDataKey*"], Resource: "*", ...(condition ? { Condition: condition } : {}) });

  it("accepts a log group ARN of one account, exact or with a wildcard name, for the regional and the global principal", () => {
    for (const service of ["logs.eu-west-1.amazonaws.com", "logs.amazonaws.com"]) {
      for (const value of [`arn:aws:logs:eu-west-1:${HUB}:log-group:/tasks/prometheus`, `arn:aws:logs:eu-west-1:${HUB}:log-group:/tasks/*`]) {
        expect(findingsFor(logsStatement({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": value } }, [service])), `${service} ${value}`).to.deep.equal([]);
      }
    }
  });

  it("refuses a pin that leaves the account open, or names a log group and something else", () => {
    for (const value of ["arn:aws:logs:eu-west-1:*:log-group:/tasks/prometheus", "*", [`arn:aws:logs:eu-west-1:${HUB}:log-group:a`, "arn:aws:logs:*:*:*"]]) {
      expect(findingsFor(logsStatement({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": value } })).map((f) => f.enforcementLevel), JSON.stringify(value)).to.deep.equal(["mandatory"]);
    }
  });

  it("tells a Logs principal to pin the log group ARN, not aws:SourceArn", () => {
    const [finding] = findingsFor(logsStatement());
    expect(finding.message).to.include(`Fix: add a condition ArnEquals "kms:EncryptionContext:aws:logs:arn": "<arn:aws:logs:<region>:<account id>:log-group:<name>>"`);
    expect(finding.message).to.not.include("aws:SourceArn\": \"<the resource acting");
  });

  it("does not let the Logs pin cover another service of the same statement, and asks that one for its source", () => {
    const [finding] = findingsFor(logsStatement({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${HUB}:log-group:tasks` } }, ["logs.eu-west-1.amazonaws.com", "sns.amazonaws.com"]));
    expect(finding.message).to.include("service principal sns.amazonaws.com is admitted");
    expect(finding.message).to.include(`"aws:SourceArn": "<the resource acting`);
  });

  it("does not take the Logs key as a pin for another service", () => {
    const [finding] = findingsFor(logsStatement({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${HUB}:log-group:tasks` } }, ["sns.amazonaws.com"]));
    expect(finding.message).to.include("service principal sns.amazonaws.com is admitted");
  });
});

describe("no-wildcard-actions: a key policy's kms:* for the account root delegates only to a known owner account", () => {
  const keyPolicy = (principal: string) => resource("aws:kms/key:Key", "key", { description: "k", policy: policyJson(policyDocument({ Sid: "Root", Effect: "Allow", Principal: { AWS: principal }, Action: "kms:*", Resource: "*" })) });
  const wildcardFindings = (principal: string, accountId?: string) => evaluateResources([keyPolicy(principal)], { accountId }).filter((v) => v.policy === "no-wildcard-actions");

  it("accepts the owner's own root when the owner account is known", () => {
    expect(wildcardFindings(`arn:aws:iam::${HUB}:root`, HUB)).to.deep.equal([]);
  });

  it("flags kms:* when no owner account is known, even for a root principal whose account cannot be read", () => {
    for (const principal of [`arn:aws:iam::${HUB}:root`, "arn:aws:iam::1111:root", "not-an-arn:root"]) {
      const findings = wildcardFindings(principal);
      expect(findings.map((f) => f.enforcementLevel), principal).to.deep.equal(["mandatory"]);
      expect(findings[0].message).to.include(`"kms:*"`);
    }
  });
});

describe("service-principal-source-pinned: an unknown pin of one service does not hide another service's missing one", () => {
  it("reports the unpinned service as mandatory when the Logs pin is unknown at preview", () => {
    const statement = { Sid: "LogsAndSns", Effect: "Allow", Principal: { Service: ["logs.eu-west-1.amazonaws.com", "sns.amazonaws.com"] }, Action: ["kms:Decrypt"], Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ENGINE_UNKNOWN_STRING } } };
    const findings = evaluateResources([resource("aws:kms/key:Key", "k", { description: "k", policy: policyJson(policyDocument(statement as never)) })], { accountId: CASE_ACCOUNT })
      .filter((v) => v.policy === "service-principal-source-pinned");
    expect(findings.map((f) => f.enforcementLevel)).to.deep.equal(["mandatory"]);
    expect(findings[0].message).to.include("service principal sns.amazonaws.com is admitted");
  });

  it("is inconclusive (advisory) when the only service's pin is unknown", () => {
    const statement = { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: ["kms:Decrypt"], Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ENGINE_UNKNOWN_STRING } } };
    const findings = evaluateResources([resource("aws:kms/key:Key", "k", { description: "k", policy: policyJson(policyDocument(statement as never)) })], { accountId: CASE_ACCOUNT })
      .filter((v) => v.policy === "service-principal-source-pinned");
    expect(findings.map((f) => f.enforcementLevel)).to.deep.equal(["advisory"]);
  });
});
