/**
 * Onboarding an account, as a reviewer sees it in the plan: its new stacks, and which shared
 * hub resources change. The hub's policies scope by tag and organisation, so no IAM, topic,
 * key or bus document changes; only what lists the accounts' workspaces does.
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

  it("shows billing's new stack and changes no shared IAM, topic, key or bus document", async () => {
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
    expect(byStack["dev-billing"]).to.include({ status: "added" });
    expect(byStack["dev-payments"]).to.include({ status: "unchanged" });
    expect(byStack["dev-search"]).to.include({ status: "unchanged" });

    const hub = byStack.dev;
    expect(hub.removed).to.deep.equal([]);
    // Everything the hub adds is billing's own.
    expect(hub.added.length).to.be.greaterThan(0);
    expect(hub.added.filter((r) => !r.name.includes("billing")).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
    // Shared resources that change: only what charts every workspace.
    const changed = hub.changed.map((r) => r.type);
    for (const documentType of ["aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:sns/topicPolicy:TopicPolicy", "aws:kms/key:Key", "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:cloudwatch/eventRule:EventRule"]) {
      expect(changed, documentType).not.to.include(documentType);
    }
    console.log(`      shared hub resources changed: ${hub.changed.map((r) => `${r.type} ${r.name} [${r.keys}]`).join("; ") || "none"}`);
    expect(hub.changed.length, hub.changed.map((r) => `${r.type} ${r.name} ${r.keys}`).join("; ")).to.be.at.most(3);
  });
});
