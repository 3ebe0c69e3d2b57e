/**
 * Onboarding an account, as a reviewer sees it in the plan: its new stacks (its hub stack
 * and its workload stack), and which shared resources change. The hub's policies scope by
 * tag and organisation, so no IAM, topic, key or bus document changes; only what lists the
 * accounts' workspaces (in the query stack) does.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { planIntoFolder } from "../../stacks/plan/run-plan";
import { PROJECT_DIR } from "../support/org-model";

const BILLING_ID = "510987654321";
const BILLING_ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/0B1D2F3A4C5E6F7A8B9C0D1E2F3A4B5C";

describe("plan: onboarding an account", function () {
  this.timeout(120_000);
  let project: string;
  let out: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-project-"));
    out = fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-out-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), path.join(project, "Pulumi.dev.yaml"));
  });
  after(() => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("shows billing's two new stacks, leaves the other accounts' stacks alone and changes no shared IAM, topic, key or bus document", async () => {
    await planIntoFolder(project, { environment: "dev", outDir: out, policy: false });

    const file = path.join(project, "Pulumi.dev.yaml");
    const stackFile = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, any> };
    stackFile.config["observability:workloads"].push({
      name: "billing",
      accountId: BILLING_ID,
      deployRoleArn: `arn:aws:iam::${BILLING_ID}:role/observability-deploy`,
      team: "payments",
      clusters: [{ name: "billing-dev", oidcProviderArn: `arn:aws:iam::${BILLING_ID}:oidc-provider/${BILLING_ISSUER}`, oidcIssuerUrl: `https://${BILLING_ISSUER}` }],
    });
    fs.writeFileSync(file, stringify(stackFile));
    const { report } = await planIntoFolder(project, { environment: "dev", outDir: out, policy: false });

    const byStack = Object.fromEntries(report.changes.stacks.map((s) => [s.stack, s]));
    // Billing's own stacks are new; every other account's stacks are untouched.
    expect(byStack["dev-billing"]).to.include({ status: "added" });
    expect(byStack["dev-hub-billing"]).to.include({ status: "added" });
    for (const stack of ["dev-payments", "dev-search", "dev-hub-payments", "dev-hub-search"]) expect(byStack[stack], stack).to.include({ status: "unchanged" });

    // The shared hub stack adds and removes nothing, and changes no IAM, topic, key or bus document.
    const hub = byStack.dev;
    expect(hub.added).to.deep.equal([]);
    expect(hub.removed).to.deep.equal([]);
    const changed = hub.changed.map((r) => r.type);
    for (const documentType of ["aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:sns/topicPolicy:TopicPolicy", "aws:kms/key:Key", "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:cloudwatch/eventRule:EventRule"]) {
      expect(changed, documentType).not.to.include(documentType);
    }
    console.log(`      shared hub resources changed: ${hub.changed.map((r) => `${r.type} ${r.name} [${r.keys}]`).join("; ") || "none"}`);
    expect(hub.changed.map((r) => `${r.type} ${r.name}`), "the shared hub changes nothing").to.deep.equal([]);

    // The query stack changes only what charts every workspace, and adds nothing.
    const query = byStack["dev-query"];
    console.log(`      query stack resources changed: ${query.changed.map((r) => `${r.type} ${r.name} [${r.keys}]`).join("; ") || "none"}`);
    expect(query.added).to.deep.equal([]);
    expect(query.removed).to.deep.equal([]);
    // Exactly the AMP usage dashboard, which charts one line per workspace.
    expect(query.changed.map((r) => `${r.type} ${r.name} [${r.keys}]`)).to.deep.equal(["grafana:oss/dashboard:Dashboard hub-dev-all-accounts-dev-amp-usage [configJson]"]);
  });
});
