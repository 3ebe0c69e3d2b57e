import { expect } from "chai";
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { z } from "zod";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { resolveRuleSettings } from "../../components/alert-pipeline/rules";
import {
  REFERENCE_COMMAND,
  ReferenceRow,
  ReferenceSchemas,
  cell,
  readmeReferenceBlock,
  referenceRows,
  renderConfigReference,
  withReferenceBlock,
} from "../../stacks/config/reference";
import { readStackConfig } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";

// Generated inside the tests: a key without a description fails them, not the whole run.
let generated: ReferenceRow[] | undefined;
const projectRows = (): ReferenceRow[] => (generated ??= referenceRows());
const row = (key: string): ReferenceRow => {
  const found = projectRows().filter((r) => r.key === key);
  expect(found, `rows of ${key}`).to.have.length(1);
  return found[0];
};

/** Every key path a value spells out: objects by name, list items as `[]`. */
function keyPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    return [path, ...value.flatMap((item) => (typeof item === "object" && item !== null ? keyPaths(item, `${path}[]`).slice(1) : []))];
  }
  if (typeof value === "object" && value !== null) {
    return [path, ...Object.entries(value).flatMap(([key, child]) => keyPaths(child, `${path}.${key}`))];
  }
  return [path];
}

/** A documented key as a pattern: `<team>` stands for any one name. */
function keyPattern(key: string): RegExp {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/<[^>]+>/g, "[^.]+");
  return new RegExp(`^${escaped}$`);
}

describe("config reference (README, generated from the zod schemas)", () => {
  it("README.md holds exactly the generated table between its markers", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    const block = readmeReferenceBlock(readme);
    expect(block, "README.md needs <!-- config-reference:start --> and <!-- config-reference:end --> in its Config reference section").to.be.a("string");
    const lines = { readme: block!.split("\n"), generated: renderConfigReference().split("\n") };
    const first = lines.generated.findIndex((line, i) => line !== lines.readme[i]);
    const differs = first >= 0 || lines.readme.length !== lines.generated.length;
    const at = first >= 0 ? first : Math.min(lines.readme.length, lines.generated.length);
    expect(differs, `README.md's config reference differs from the schemas: run ${REFERENCE_COMMAND}\n` +
      `  first difference, line ${at + 1} of the block:\n  README:    ${lines.readme[at] ?? "(end)"}\n  generated: ${lines.generated[at] ?? "(end)"}`).to.equal(false);
  });

  it("documents every key the committed stack files set", () => {
    const patterns = projectRows().map((r) => keyPattern(r.key));
    const stackFiles = readdirSync(PROJECT_DIR).map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1]).filter((s): s is string => s !== undefined);
    expect(stackFiles).to.include.members(["dev", "prod", "dev-payments"]);
    for (const stack of stackFiles) {
      const config = readStackConfig(PROJECT_DIR, stack);
      const used = Object.entries(config).filter(([key]) => key.startsWith("observability:")).flatMap(([key, value]) => keyPaths(value, key));
      const undocumented = [...new Set(used)].filter((key) => !patterns.some((pattern) => pattern.test(key)));
      expect(undocumented, `keys of Pulumi.${stack}.yaml missing from the reference`).to.deep.equal([]);
    }
  });

  it("has one row per key, each with a type, a required column and a description", () => {
    const rows = projectRows();
    const keys = rows.map((r) => `${r.key} ${r.required}`);
    expect(new Set(keys).size).to.equal(keys.length);
    for (const r of rows) {
      expect(r.type, r.key).to.not.equal("");
      expect(r.required, r.key).to.match(/^(yes|no)(, (when|for) .+)?$/);
      expect(r.description.length, r.key).to.be.greaterThan(10);
    }
    expect(rows.filter((r) => r.stack === "workload").map((r) => r.key))
      .to.deep.equal(["observability:hubStack", "observability:accountName", "observability:deployRoleArn", "observability:hubPart"]);
  });

  it("renders defaults, optional keys, list items and union variants of the project's schemas", () => {
    expect(row("observability:hub.amp.retentionDays")).to.include({ type: "integer from 1 to 1095", default: "`150`", required: "no" });
    expect(row("observability:hub.accountId")).to.include({ type: "string: must be a 12-digit AWS account id, quoted", required: "yes" });
    expect(row("observability:hub.organizationId").required).to.equal("no");
    expect(row("observability:grafana.version")).to.include({ type: "one of `9.4`, `10.4`", default: "`10.4`" });
    expect(row("observability:workloads[].clusters[].create.apiEndpoint")).to.include({
      default: "`{ access: public, allowedCidrs: [0.0.0.0/0] }`", required: "no",
    });
    expect(row("observability:workloads[].clusters[].create").required).to.equal("yes, for a demo cluster");
    expect(row("observability:workloads[].clusters[].oidcProviderArn").required).to.equal("yes, for an existing cluster");
    expect(row("observability:workloads[].clusters[].create.apiEndpoint.allowedCidrs").required).to.equal("yes, when `access: public`");
    expect(row("observability:alerting.destinations[].type").type).to.equal("one of `slack`, `pagerduty`, `jira`, `webhook`");
  });

  it("includes every unifiedQuery key, with the cluster's variants", () => {
    const unified = projectRows().filter((r) => r.key.startsWith("observability:unifiedQuery")).map((r) => r.key.slice("observability:unifiedQuery".length));
    expect(unified).to.include.members([
      "", ".cluster", ".cluster.kind", ".cluster.name", ".cluster.vpcId", ".cluster.oidcProviderArn", ".cluster.oidcIssuerUrl",
      ".cluster.privateSubnetIds", ".cluster.instanceType", ".cluster.nodeCount", ".cluster.apiEndpoint", ".cluster.apiEndpoint.access",
      ".cluster.apiEndpoint.allowedCidrs", ".highAvailability", ".replicas", ".sigv4Mode", ".exposure", ".exposure.internal",
      ".exposure.certificateArn", ".exposure.hostname", ".exposure.allowedCidrs", ".grafanaSubnetIds",
    ]);
    expect(row("observability:unifiedQuery").required).to.equal("no");
    expect(row("observability:unifiedQuery.cluster.kind")).to.include({ type: "one of `existing`, `create`", required: "yes" });
    expect(row("observability:unifiedQuery.cluster.name").required).to.equal("yes");
    expect(row("observability:unifiedQuery.cluster.privateSubnetIds").required).to.equal("yes, when `kind: create`");
    expect(row("observability:unifiedQuery.cluster.oidcIssuerUrl").required).to.equal("yes, when `kind: existing`");
    expect(row("observability:unifiedQuery.grafanaSubnetIds").type).to.equal("list (2 to 6) of string: must be a subnet id (subnet-...)");
  });

  it("shows the defaults the alertmanager resolver applies to alerting.alertmanager", () => {
    const resolved = resolveAlertmanagerSettings({ region: "eu-west-1", topicArn: "arn:aws:sns:eu-west-1:210987654321:observability-alerts-dev" });
    const at = "observability:alerting.alertmanager";
    expect(row(`${at}.fallbackTeam`).default).to.equal(`\`${resolved.fallbackTeam}\``);
    expect(row(`${at}.groupBy`).default).to.equal(`\`[${resolved.groupBy.join(", ")}]\``);
    expect(row(`${at}.maxAlertsPerMessage`).default).to.equal(`\`${resolved.maxAlertsPerMessage}\``);
    for (const [key, value] of Object.entries(resolved.timing)) expect(row(`${at}.timing.${key}`).default).to.equal(`\`${value}\``);
    for (const [severity, timing] of Object.entries(resolved.severityTiming)) {
      for (const key of Object.keys(resolved.timing)) {
        const value = (timing as Record<string, string | undefined>)[key];
        expect(row(`${at}.severityTiming.${severity}.${key}`).default).to.equal(value ? `\`${value}\`` : `\`timing.${key}\``);
      }
    }
    expect(row(`${at}.teams`).type).to.equal("map from `<team>` to object");
    expect(row(`${at}.teams.<team>.topicArn`).required).to.equal("no");
    expect(row(`${at}.timing.repeatInterval`).type).to.equal("non-empty string: expected a duration such as 30s, 5m or 4h");
  });

  it("shows the defaults the rule resolver applies to workloads[].rules, one row per alert's pending duration", () => {
    const resolved = resolveRuleSettings({});
    const at = "observability:workloads[].rules";
    for (const [key, value] of Object.entries(resolved.thresholds)) expect(row(`${at}.thresholds.${key}`).default).to.equal(`\`${value}\``);
    for (const [alert, value] of Object.entries(resolved.pending)) expect(row(`${at}.pending.${alert}`)).to.include({ default: `\`${value}\``, required: "no" });
    expect(row(`${at}.quotas.activeSeries`).default).to.equal(`\`${resolved.quotas.activeSeries}\``);
    expect(row(`${at}.team`).default).to.equal("the account's `team`");
    expect(row(`${at}.selectors.nodeFilesystems`).default).to.equal(`\`${resolved.selectors.nodeFilesystems}\``);
    expect(row(`${at}.disabledGroups`).type).to.match(/^list of one of `kubernetes-pods`, /);
  });

  describe("the generator, on schemas of its own", () => {
    const schemas = (schema: z.AnyZodObject): ReferenceSchemas => ({ stacks: [{ stack: "hub", schema }], effectiveDefaults: new Map() });

    it("walks discriminated unions, unions, arrays of objects, records, enums, regex messages, defaults and optional keys", () => {
      const shape = z.object({
        size: z.number().int().min(1).default(3).describe("How many."),
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("a").describe("Which target."), id: z.string().regex(/^a-\d+$/, "must be an a-id").describe("The id.") }).strict(),
          z.object({ kind: z.literal("b"), id: z.string().regex(/^a-\d+$/, "must be an a-id").describe("The id."), url: z.string().url().optional().describe("Where.") }).strict(),
        ]).describe("The target."),
        things: z.array(z.union([
          z.object({ name: z.string().describe("Name.") }).strict().describe("a named thing"),
          z.object({ name: z.string().describe("Name."), size: z.enum(["s", "m"]).default("m").describe("Size.") }).strict().describe("a sized thing"),
        ])).min(1).describe("Things."),
        labels: z.record(z.string().describe("label"), z.string().min(1).describe("Its value.")).optional().describe("Labels."),
      });
      const got = referenceRows(schemas(shape)).map((r) => [r.key, r.type, r.default, r.required]);
      expect(got).to.deep.equal([
        ["observability:size", "integer at least 1", "`3`", "no"],
        ["observability:target", "object", "", "yes"],
        ["observability:target.kind", "one of `a`, `b`", "", "yes"],
        ["observability:target.id", "string: must be an a-id", "", "yes"],
        ["observability:target.url", "string: a URL", "", "no, when `kind: b`"],
        ["observability:things", "list (at least 1) of objects", "", "yes"],
        ["observability:things[].name", "string", "", "yes"],
        ["observability:things[].size", "one of `s`, `m`", "`m`", "no, for a sized thing"],
        ["observability:labels", "map from `<label>` to non-empty string", "", "no"],
        ["observability:labels.<label>", "non-empty string", "", "no"],
      ]);
    });

    it("refuses a key without a description, naming it and the fix", () => {
      const shape = z.object({ outer: z.object({ inner: z.boolean() }).describe("Outer.") });
      expect(() => referenceRows(schemas(shape))).to.throw(/config key observability:outer\.inner has no description: add \.describe\("\.\.\."\).*npm run docs:config/);
    });

    it("escapes table cells: pipes everywhere, HTML-like text outside code", () => {
      expect(cell("a | b `x|y` <env> `<env>`")).to.equal("a \\| b `x\\|y` \\<env> `<env>`");
    });

    it("replaces only the text between the markers, and refuses a README without them", () => {
      const readme = "intro\n<!-- config-reference:start -->\nold\n<!-- config-reference:end -->\nrest\n";
      expect(withReferenceBlock(readme, "new")).to.equal("intro\n<!-- config-reference:start -->\nnew\n<!-- config-reference:end -->\nrest\n");
      expect(readmeReferenceBlock(withReferenceBlock(readme, "new"))).to.equal("new");
      expect(() => withReferenceBlock("no markers", "new")).to.throw(/config-reference:start/);
    });
  });
});
