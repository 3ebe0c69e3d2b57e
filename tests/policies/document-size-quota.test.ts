import { expect } from "chai";
import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ResourceRecord } from "../../policies/analysis/model";
import { largestAgainstQuota, measureDocuments, QUOTAS, QuotaKind, QuotaUnit, quotaUse } from "../../policies/analysis/quotas";
import { ENGINE_UNKNOWN_STRING } from "../../policies/analysis/unknown";
import { PackConfig } from "../../policies/config";
import { evaluateResources, PolicyViolation } from "../../policies/evaluate";
import { PACK_POLICIES } from "../../policies/pack-policies";
import { planOf } from "../support/plans";
import { ALERT_TOPIC, CASE_ACCOUNT, REGION, resource, WORKLOAD } from "./cases";

const POLICY = "document-size-quota";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** Counted here independently of the module under test, the way each service's documentation says. */
const COUNT: Record<QuotaUnit, (text: string) => number> = {
  "non-whitespace characters": (text) => [...text.replace(/[ \t\n\r]/g, "")].length,
  characters: (text) => [...text].length,
  bytes: (text) => Buffer.byteLength(text, "utf8"),
};

const textOf = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** A value (JSON string, object, or environment map) whose size in `unit` is exactly `target`: `make` puts the padding somewhere harmless. */
function sized<T>(unit: QuotaUnit, target: number, make: (padding: string) => T, pad = "a"): T {
  const base = COUNT[unit](textOf(make("")));
  const step = COUNT[unit](pad);
  const remaining = target - base;
  if (remaining < 0) throw new Error(`the empty document is already ${base} ${unit}, over ${target}`);
  const value = make(pad.repeat(Math.floor(remaining / step)) + "a".repeat(remaining % step));
  expect(COUNT[unit](textOf(value)), "test document size").to.equal(target);
  return value;
}

const statementObject = (padding: string) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Padded", Effect: "Allow", Action: "sns:Publish", Resource: ALERT_TOPIC, Condition: { StringEquals: { "aws:PrincipalTag/team": padding } } }],
});
const documentString = (padding: string) => JSON.stringify(statementObject(padding));
const prettyString = (padding: string) => JSON.stringify(statementObject(padding), null, 2);
const smallTrust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const environment = (padding: string) => ({ LOG_LEVEL: "info", NOTIFIER_CONFIG: padding });

function quotaFindings(records: ResourceRecord[], config: PackConfig[string] = "mandatory"): PolicyViolation[] {
  return evaluateResources(records, { accountId: CASE_ACCOUNT, config: { [POLICY]: config } }).filter((v) => v.policy === POLICY);
}

const n = (value: number): string => value.toLocaleString("en-US");

interface QuotaCase {
  title: string;
  kind: QuotaKind;
  make: (padding: string) => unknown;
  record: (value: any) => ResourceRecord;
}

const CASES: QuotaCase[] = [
  { title: "IAM role trust policy (assumeRolePolicy)", kind: "iam-role-trust-policy", make: documentString,
    record: (value) => resource(ROLE, "big-trust", { name: "big-trust", assumeRolePolicy: value }) },
  { title: "IAM inline policy on the Role (inlinePolicies)", kind: "iam-role-inline-policies", make: documentString,
    record: (value) => resource(ROLE, "big-inline", { name: "big-inline", assumeRolePolicy: smallTrust, inlinePolicies: [{ name: "padded", policy: value }] }) },
  { title: "IAM RolePolicy alone on its role", kind: "iam-role-inline-policies", make: documentString,
    record: (value) => resource(ROLE_POLICY, "big-role-policy", { role: "some-role", policy: value }) },
  { title: "IAM managed policy", kind: "iam-managed-policy", make: documentString,
    record: (value) => resource("aws:iam/policy:Policy", "big-managed", { policy: value }) },
  { title: "SNS TopicPolicy", kind: "sns-topic-policy", make: documentString,
    record: (value) => resource("aws:sns/topicPolicy:TopicPolicy", "big-topic-policy", { arn: ALERT_TOPIC, policy: value }) },
  { title: "SNS Topic policy input, as an object", kind: "sns-topic-policy", make: statementObject,
    record: (value) => resource("aws:sns/topic:Topic", "big-topic", { name: "big", policy: value }) },
  { title: "SQS QueuePolicy", kind: "sqs-queue-policy", make: documentString,
    record: (value) => resource("aws:sqs/queuePolicy:QueuePolicy", "big-queue-policy", { queueUrl: "https://sqs/dlq", policy: value }) },
  { title: "SQS Queue policy input, as an object", kind: "sqs-queue-policy", make: statementObject,
    record: (value) => resource("aws:sqs/queue:Queue", "big-queue", { name: "big", policy: value }) },
  { title: "KMS key policy", kind: "kms-key-policy", make: documentString,
    record: (value) => resource("aws:kms/key:Key", "big-key", { description: "big", policy: value }) },
  { title: "EventBridge bus policy", kind: "eventbridge-bus-policy", make: documentString,
    record: (value) => resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "big-bus", { eventBusName: "alerts", policy: value }) },
  { title: "VPC endpoint policy", kind: "vpc-endpoint-policy", make: documentString,
    record: (value) => resource("aws:ec2/vpcEndpoint:VpcEndpoint", "big-endpoint", { vpcId: "vpc-1", serviceName: `com.amazonaws.${REGION}.aps-workspaces`, policy: value }) },
  { title: "Lambda environment variables", kind: "lambda-environment", make: environment,
    record: (value) => resource(LAMBDA_FUNCTION, "big-env", { runtime: "nodejs22.x", environment: { variables: value } }) },
];

describe("policy document-size-quota: documents against the quota their service enforces", () => {
  it("uses the quotas of the AWS documentation, each with its source", () => {
    const limits = Object.fromEntries(Object.entries(QUOTAS).map(([kind, q]) => [kind, `${q.limit} ${q.unit}`]));
    expect(limits).to.deep.equal({
      "iam-role-trust-policy": "2048 non-whitespace characters",
      "iam-role-inline-policies": "10240 non-whitespace characters",
      "iam-managed-policy": "6144 non-whitespace characters",
      "sns-topic-policy": "30720 bytes",
      "sqs-queue-policy": "8192 bytes",
      "kms-key-policy": "32768 bytes",
      "eventbridge-bus-policy": "10240 characters",
      "vpc-endpoint-policy": "20480 characters",
      "lambda-environment": "4096 bytes",
    });
    for (const quota of Object.values(QUOTAS)) expect(quota.source).to.match(/Guide|reference/);
  });

  describe("exactly at the limit passes, one over is mandatory, naming resource, document, size, limit and fix", () => {
    for (const quotaCase of CASES) {
      const { limit, unit } = QUOTAS[quotaCase.kind];
      it(`${quotaCase.title}: ${n(limit)} ${unit}`, () => {
        const atLimit = quotaCase.record(sized(unit, limit, quotaCase.make));
        expect(quotaFindings([atLimit])).to.deep.equal([]);
        const measured = measureDocuments([atLimit]).find((d) => d.kind === quotaCase.kind)!;
        expect(measured).to.include({ resource: atLimit.name, kind: quotaCase.kind, size: limit, limit, unit, status: "known" });

        const over = quotaCase.record(sized(unit, limit + 1, quotaCase.make));
        const findings = quotaFindings([over]);
        expect(findings, JSON.stringify(findings, null, 1)).to.have.length(1);
        expect(findings[0]).to.include({ enforcementLevel: "mandatory", urn: over.urn, resourceName: over.name });
        expect(findings[0].message).to.include(`"${over.name}"`).and.include(`limit of ${n(limit)} ${unit}`);
        // Totals (a role's inline policies, a function's variables) "come to" a size, single documents "are" one; one part lists no parts.
        const verb = quotaCase.kind === "iam-role-inline-policies" || quotaCase.kind === "lambda-environment" ? "come to" : "is";
        expect(findings[0].message).to.include(` ${verb} ${n(limit + 1)} ${unit}, over the limit`);
        expect(findings[0].message).to.match(/Fix: \S/);
      });
    }
  });

  describe("how each service counts", () => {
    it("IAM does not count white space: a pretty-printed trust policy of 2,048 non-white-space characters passes", () => {
      const pretty = sized("non-whitespace characters", 2048, prettyString);
      expect(pretty.length).to.be.greaterThan(2048);
      expect(quotaFindings([resource(ROLE, "pretty-trust", { name: "pretty-trust", assumeRolePolicy: pretty })])).to.deep.equal([]);
      const overPretty = sized("non-whitespace characters", 2049, prettyString);
      expect(quotaFindings([resource(ROLE, "pretty-trust", { name: "pretty-trust", assumeRolePolicy: overPretty })])).to.have.length(1);
    });

    it("VPC endpoint policies count white space: the same pretty-printing can push one over", () => {
      const pretty = sized("non-whitespace characters", 20470, prettyString);
      expect(pretty.length).to.be.greaterThan(20480);
      const findings = quotaFindings([resource("aws:ec2/vpcEndpoint:VpcEndpoint", "pretty-endpoint", { policy: pretty })]);
      expect(findings.map((f) => f.enforcementLevel)).to.deep.equal(["mandatory"]);
    });

    it("byte quotas count a multi-byte character once per UTF-8 byte", () => {
      // 8,192 bytes with "é" (2 bytes) passes; one byte more fails though it is far fewer than 8,192 characters.
      const atLimit = sized("bytes", 8192, documentString, "é");
      expect([...atLimit].length).to.be.lessThan(5000);
      const queue = (policy: string) => resource("aws:sqs/queuePolicy:QueuePolicy", "accented-queue", { queueUrl: "https://sqs/dlq", policy });
      expect(quotaFindings([queue(atLimit)])).to.deep.equal([]);
      const overByOneByte = sized("bytes", 8193, documentString, "é");
      expect(quotaFindings([queue(overByOneByte)])).to.have.length(1);
      // Lambda: "€" is 3 bytes.
      const variables = sized("bytes", 4097, environment, "€");
      expect(JSON.stringify(variables).length).to.be.lessThan(2000);
      expect(quotaFindings([resource(LAMBDA_FUNCTION, "euro-env", { environment: { variables } })])).to.have.length(1);
    });

    it("character quotas count a multi-byte character once", () => {
      const accented = sized("characters", 10240, documentString, "é");
      expect(Buffer.byteLength(accented)).to.be.greaterThan(10240);
      expect(quotaFindings([resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "accented-bus", { policy: accented })])).to.deep.equal([]);
      const trust = sized("non-whitespace characters", 2048, documentString, "é");
      expect(quotaFindings([resource(ROLE, "accented-trust", { name: "accented-trust", assumeRolePolicy: trust })])).to.deep.equal([]);
    });

    it("measures Lambda variables as the JSON object Lambda measures, names and punctuation included", () => {
      const [measured] = measureDocuments([resource(LAMBDA_FUNCTION, "tiny", { environment: { variables: { A: "b", É: "€" } } })]);
      expect(measured).to.include({ kind: "lambda-environment", size: Buffer.byteLength('{"A":"b","É":"€"}'), unit: "bytes", property: "environment.variables" });
      expect(measureDocuments([resource(LAMBDA_FUNCTION, "none", { environment: { variables: {} } })])).to.deep.equal([]);
      expect(measureDocuments([resource("aws:sns/topic:Topic", "no-policy", { name: "t", policy: "" })])).to.deep.equal([]);
    });
  });

  describe("inline policies of one role are summed: its inlinePolicies and every RolePolicy naming it", () => {
    const roleName = "amp-ingest-dev-payments";
    const small = 300;
    const half = (10240 - small) / 2;
    const records = (lastSize: number): ResourceRecord[] => [
      resource(ROLE, "ingest-role", { name: roleName, assumeRolePolicy: smallTrust, inlinePolicies: [{ name: "small", policy: sized("non-whitespace characters", small, documentString) }] }),
      resource(ROLE_POLICY, "write-payments", { role: roleName, policy: sized("non-whitespace characters", half, documentString) }),
      // By ARN, in another case: IAM role names are case-insensitive.
      resource(ROLE_POLICY, "write-orders", { role: `arn:aws:iam::${CASE_ACCOUNT}:role/${roleName.toUpperCase()}`, policy: sized("non-whitespace characters", lastSize, prettyString) }),
    ];

    it("passes at exactly 10,240 characters across a Role's inlinePolicies and two RolePolicy resources", () => {
      expect(quotaFindings(records(half))).to.deep.equal([]);
      const total = measureDocuments(records(half)).find((d) => d.kind === "iam-role-inline-policies")!;
      expect(total).to.include({ resource: "ingest-role", size: 10240, status: "known", role: roleName });
      expect(total.parts!.map((p) => `${p.resource} ${p.size}`)).to.deep.equal([`ingest-role ${small}`, `write-payments ${half}`, `write-orders ${half}`]);
    });

    it("fails one character over, on the Role, naming every contributing document", () => {
      const findings = quotaFindings(records(half + 1));
      expect(findings).to.have.length(1);
      expect(findings[0]).to.include({ enforcementLevel: "mandatory", resourceName: "ingest-role" });
      expect(findings[0].message).to.include("10,241").and.include("write-payments.policy").and.include("write-orders.policy").and.include("inlinePolicies[0].policy");
    });

    it("reports a total over the quota on the largest RolePolicy when the role is not in the stack", () => {
      const findings = quotaFindings(records(half + small + 1).slice(1));
      expect(findings.map((f) => f.resourceName)).to.deep.equal(["write-orders"]);
    });

    it("keeps roles of the same name in two accounts apart", () => {
      const [role, first, second] = records(half + 1);
      const elsewhere = { ...second, accountId: WORKLOAD };
      expect(quotaFindings([role, first, elsewhere])).to.deep.equal([]);
    });
  });

  describe("configuration", () => {
    const trust = (size: number) => resource(ROLE, "raised-trust", { name: "raised-trust", assumeRolePolicy: sized("non-whitespace characters", size, documentString) });
    it("takes a raised trust-policy quota up to 4,096", () => {
      expect(quotaFindings([trust(2049)])).to.have.length(1);
      expect(quotaFindings([trust(4096)], { trustPolicyMaxCharacters: 4096 })).to.deep.equal([]);
      const over = quotaFindings([trust(4097)], { trustPolicyMaxCharacters: 4096 });
      expect(over[0].message).to.include("limit of 4,096");
    });
    it("refuses a trust limit AWS does not grant", () => {
      expect(() => quotaFindings([trust(300)], { trustPolicyMaxCharacters: 4097 })).to.throw(/trustPolicyMaxCharacters must be an integer from 2048 to 4096/);
      expect(() => quotaFindings([trust(300)], { trustPolicyMaxCharacters: 1024 })).to.throw(/trustPolicyMaxCharacters/);
    });
    it("takes a raised EventBridge bus policy quota", () => {
      const bus = resource("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "raised-bus", { policy: sized("characters", 12000, documentString) });
      expect(quotaFindings([bus])).to.have.length(1);
      expect(quotaFindings([bus], { eventBusPolicyMaxCharacters: 20480 })).to.deep.equal([]);
    });
    it("skips an exempt resource", () => {
      expect(quotaFindings([trust(2049)], { exemptResources: ["raised-trust"] })).to.deep.equal([]);
    });
  });

  describe("values unknown at preview: advisory, or mandatory only when the known part is already over", () => {
    const topicPolicy = (policy: string) => resource("aws:sns/topicPolicy:TopicPolicy", "partial-topic", { arn: ALERT_TOPIC, policy });
    const levels = (findings: PolicyViolation[]) => findings.map((f) => f.enforcementLevel);

    it("a wholly unknown document (plan marker or engine sentinel) gives an advisory", () => {
      for (const unknown of ["<unknown>", ENGINE_UNKNOWN_STRING]) {
        const findings = quotaFindings([resource(ROLE, "unknown-trust", { name: "unknown-trust", assumeRolePolicy: unknown })]);
        expect(levels(findings)).to.deep.equal(["advisory"]);
        expect(findings[0].message).to.include("not known during preview").and.include("checked again");
      }
    });
    it("a document with an unknown part is judged on its known part", () => {
      const under = sized("bytes", 1000, (p) => documentString(p).replace(ALERT_TOPIC, "<unknown>"));
      expect(levels(quotaFindings([topicPolicy(under)]))).to.deep.equal(["advisory"]);
      const over = sized("bytes", 30721 + "<unknown>".length, (p) => documentString(p).replace(ALERT_TOPIC, "<unknown>"));
      const findings = quotaFindings([topicPolicy(over)]);
      expect(levels(findings)).to.deep.equal(["mandatory"]);
      expect(findings[0].message).to.include("is at least 30,721 bytes");
    });
    it("unknown Lambda variables or an unknown environment give an advisory", () => {
      expect(levels(quotaFindings([resource(LAMBDA_FUNCTION, "fn", { environment: { variables: { URL: "<unknown>" } } })]))).to.deep.equal(["advisory"]);
      expect(levels(quotaFindings([resource(LAMBDA_FUNCTION, "fn", { environment: "<unknown>" })]))).to.deep.equal(["advisory"]);
    });
    it("an unknown inlinePolicies list gives an advisory on the role", () => {
      const findings = quotaFindings([resource(ROLE, "unknown-inline", { name: "unknown-inline", assumeRolePolicy: smallTrust, inlinePolicies: "<unknown>" })]);
      expect(findings.map((f) => `${f.enforcementLevel} ${f.resourceName}`)).to.deep.equal(["advisory unknown-inline"]);
    });
    it("a RolePolicy whose role is not known yet passes when even the largest role could take it", () => {
      const known = resource(ROLE_POLICY, "known-role", { role: "r1", policy: sized("non-whitespace characters", 5000, documentString) });
      const unattributed = (size: number) => resource(ROLE_POLICY, "role-from-output", { role: "<unknown>", policy: sized("non-whitespace characters", size, documentString) });
      expect(quotaFindings([known, unattributed(5240)])).to.deep.equal([]);
      expect(levels(quotaFindings([known, unattributed(5241)]))).to.deep.equal(["advisory"]);
      expect(levels(quotaFindings([unattributed(10241)]))).to.deep.equal(["mandatory"]);
    });
    it("says what a RolePolicy of a role unknown at preview could come to, when that is bounded", () => {
      const known = resource(ROLE_POLICY, "known-role", { role: "r1", policy: sized("non-whitespace characters", 5000, documentString) });
      const unattributed = resource(ROLE_POLICY, "role-from-output", { role: "<unknown>", policy: sized("non-whitespace characters", 5241, documentString) });
      const [bounded] = quotaFindings([known, unattributed]);
      expect(bounded).to.include({ enforcementLevel: "advisory", resourceName: "role-from-output" });
      expect(bounded.message).to.equal(
        'RolePolicy "role-from-output" policy (its role is not known yet): the role is not known during preview, so document-size-quota cannot add ' +
          "this policy's 5,241 non-whitespace characters to that role's other inline policies (up to 10,241 together) and check the total against the limit of 10,240 yet; " +
          "it is checked again when the value is known (on update).",
      );
      // A policy with a part unknown itself has no bound.
      const partial = resource(ROLE_POLICY, "role-from-output", { role: "<unknown>", policy: sized("non-whitespace characters", 300 + "<unknown>".length, (p) => documentString(p).replace(ALERT_TOPIC, "<unknown>")) });
      const [unbounded] = quotaFindings([known, partial]);
      expect(unbounded.message).to.include("cannot add this policy's 300 non-whitespace characters to that role's other inline policies and check the total against the limit of 10,240 yet");
    });
    it("names each of a role's policies and its size when their known parts already go over", () => {
      const withUnknown = (size: number) => sized("non-whitespace characters", size + "<unknown>".length, (p) => documentString(p).replace(ALERT_TOPIC, "<unknown>"));
      const findings = quotaFindings([
        resource(ROLE_POLICY, "p1", { role: "r1", policy: sized("non-whitespace characters", 6000, documentString) }),
        resource(ROLE_POLICY, "p2", { role: "r1", policy: withUnknown(5000) }),
      ]);
      expect(findings).to.have.length(1);
      expect(findings[0]).to.include({ enforcementLevel: "mandatory", resourceName: "p1" });
      expect(findings[0].message).to.include(
        'RolePolicy "p1" inline policies of role "r1" (p1.policy, p2.policy): the inline policies of one IAM role together come to at least 11,000 non-whitespace characters ' +
          "(p1.policy 6,000 + p2.policy 5,000), over the limit of 10,240",
      );
    });
    it("says how much of a document is known so far, against which limit", () => {
      const [finding] = quotaFindings([resource(LAMBDA_FUNCTION, "fn", { environment: { variables: { A: "a".repeat(500), B: "<unknown>" } } })]);
      expect(finding.message).to.match(/^Function "fn" environment\.variables: its size is not known during preview \(\d+ bytes known so far\), so document-size-quota cannot check it against the Lambda environment variables together limit of 4,096 bytes yet/);
    });
  });

  describe("measureDocuments, for the bench and reports", () => {
    it("lists every document with resource, kind, size, limit and unit, and finds the fullest", () => {
      const records = CASES.map((c) => c.record(sized(QUOTAS[c.kind].unit, 300, c.make)));
      const documents = measureDocuments(records);
      expect([...new Set(documents.map((d) => d.kind))].sort()).to.deep.equal(Object.keys(QUOTAS).sort());
      for (const document of documents) {
        expect(document).to.have.all.keys("resource", "urn", "type", "property", "kind", "size", "limit", "unit", "status", "source", ...(document.kind === "iam-role-inline-policies" ? ["role", "parts"] : []));
      }
      expect(largestAgainstQuota(documents)!.kind).to.equal("iam-role-trust-policy");
    });
  });

  describe("through the pack's stack policy, as @pulumi/policy calls it", () => {
    const policy = PACK_POLICIES.find((p): p is StackValidationPolicy => p.name === POLICY)!;
    const provider = { type: "pulumi:providers:aws", urn: "urn:pulumi:test::policy-cases::pulumi:providers:aws::hub", name: "hub", props: { region: REGION, allowedAccountIds: [CASE_ACCOUNT] } };
    function validate(records: ResourceRecord[], config: object, providerOf: (record: ResourceRecord) => typeof provider = () => provider): Array<{ message: string; urn?: string; enforcementLevel?: string }> {
      const reported: Array<{ message: string; urn?: string; enforcementLevel?: string }> = [];
      const report = ((message: string | { message: string; urn?: string; enforcementLevel?: string }, urn?: string) => {
        reported.push(typeof message === "string" ? { message, urn } : message);
      }) as ReportViolation;
      const args = {
        resources: records.map((r) => ({ type: r.type, props: r.inputs, urn: r.urn, name: r.name, provider: providerOf(r), dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined })),
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (): never => { throw new Error("not applicable"); },
      } as unknown as StackValidationArgs;
      (policy.validateStack as (a: StackValidationArgs, r: ReportViolation) => void)(args, report);
      return reported;
    }

    it("publishes its configurable limits in the config schema", () => {
      expect(policy.configSchema!.properties).to.have.property("trustPolicyMaxCharacters").that.deep.includes({ type: "integer", minimum: 2048, maximum: 4096 });
      expect(policy.configSchema!.properties).to.have.property("exemptResources");
    });

    it("reports an oversized trust policy against the role's URN, and honours the configured limit", () => {
      const role = resource(ROLE, "ingest", { name: "ingest", assumeRolePolicy: sized("non-whitespace characters", 3000, documentString) });
      const reported = validate([role], {});
      expect(reported).to.have.length(1);
      expect(reported[0]).to.include({ urn: role.urn });
      expect(reported[0].message).to.include("3,000 non-whitespace characters");
      expect(validate([role], { trustPolicyMaxCharacters: 4096 })).to.deep.equal([]);
    });

    it("adds up a role's policies by the account each resource's provider deploys into", () => {
      const records = [
        resource(ROLE_POLICY, "in-hub", { role: "ingest", policy: sized("non-whitespace characters", 6000, documentString) }),
        resource(ROLE_POLICY, "in-workload", { role: "ingest", policy: sized("non-whitespace characters", 6000, documentString) }),
      ];
      const workloadProvider = { ...provider, urn: `${provider.urn}-workload`, props: { region: REGION, allowedAccountIds: [WORKLOAD] } };
      expect(validate(records, {}, (r) => (r.name === "in-workload" ? workloadProvider : provider))).to.deep.equal([]);
      expect(validate(records, {})).to.have.length(1);
    });
  });

  describe("the committed offline plans", () => {
    for (const environment of ["dev", "prod"]) {
      it(`${environment}: every document fits its quota, nothing is left unknown`, async () => {
        const plan = await planOf(environment);
        const findings = plan.stacks.flatMap((stack) =>
          evaluateResources(stack.resources, { accountId: stack.accountId }).filter((v) => v.policy === POLICY).map((v) => `${stack.stack} ${v.resourceName}: ${v.message}`),
        );
        expect(findings).to.deep.equal([]);
        // The plan's own records, as the bench reads them.
        const documents = plan.stacks.flatMap((stack) => measureDocuments(stack.resources).map((d) => ({ stack: stack.stack, ...d })));
        expect(documents.length).to.be.greaterThan(20);
        expect(documents.every((d) => d.status === "known" && d.size > 0 && d.size <= d.limit)).to.equal(true);
        const kinds = new Set(documents.map((d) => d.kind));
        for (const kind of ["iam-role-trust-policy", "iam-role-inline-policies", "sns-topic-policy", "sqs-queue-policy", "kms-key-policy", "eventbridge-bus-policy", "lambda-environment"]) {
          expect(kinds, kind).to.include(kind);
        }
        const top = [...documents].sort((a, b) => quotaUse(b) - quotaUse(a)).slice(0, 3);
        console.log(`      ${environment}: ${documents.length} documents; fullest: ${top.map((d) => `${d.stack} ${d.resource} ${d.kind} ${n(d.size)}/${n(d.limit)} ${d.unit} (${(quotaUse(d) * 100).toFixed(0)}%)`).join("; ")}`);
      });
    }
  });
});
