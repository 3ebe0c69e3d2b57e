import { expect } from "chai";
import { policyDocument, policyJson } from "../../components/iam/policy-document";
import { allowCloudWatchReadForGrafana } from "../../components/iam/statements";
import { classifyAction } from "../../policies/analysis/reference";
import { readDocuments } from "../../policies/analysis/documents";
import { restricts } from "../../policies/analysis/statements";
import { ENGINE_UNKNOWN_STRING } from "../../policies/analysis/unknown";
import { RESOURCE_RULES, STACK_RULES } from "../../policies/catalog";
import { validatePackConfig } from "../../policies/config";
import { evaluateResources } from "../../policies/evaluate";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import { isServiceWideWildcard } from "../../policies/rules/no-wildcard-actions";
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
    it("accepts a reviewed exception through a policy's own option", () => {
      expect(evaluateResources([admin], { config: { "no-broad-managed-policies": { allowedPolicies: ["AdministratorAccess"] } } })).to.deep.equal([]);
      const describeAll = resource("aws:iam/policy:Policy", "describe", { policy: policyJson(policyDocument({ Sid: "Certificates", Effect: "Allow", Action: "acm:DescribeCertificate", Resource: "*" })) });
      expect(evaluateResources([describeAll])).to.have.length(1);
      expect(evaluateResources([describeAll], { config: { "no-wildcard-resource": { starOnlyActions: ["acm:DescribeCertificate"] } } })).to.deep.equal([]);
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
      expect(findingsFor(logsStatement({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": value } })), JSON.stringify(value)).to.have.length(1);
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
