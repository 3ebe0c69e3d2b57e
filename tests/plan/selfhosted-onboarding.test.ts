/**
 * The self-hosted layout at organisation scale, as a reviewer sees it in the plan: onboarding an
 * account gives it its two stacks (its hub stack in the hub account, its workload stack) and
 * changes no resource of the shared self-hosted hub stack; and the shared stack has the same
 * resources, by type and name, at 1, 2 and 6 accounts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { planIntoFolder } from "../../stacks/plan/run-plan";
import { PROJECT_DIR } from "../support/org-model";

const ENVIRONMENT = "selfhosted";
type StackFile = { config: Record<string, any> };

function readStackFile(project: string): StackFile {
  return parse(fs.readFileSync(path.join(project, `Pulumi.${ENVIRONMENT}.yaml`), "utf8")) as StackFile;
}
function writeStackFile(project: string, stackFile: StackFile): void {
  fs.writeFileSync(path.join(project, `Pulumi.${ENVIRONMENT}.yaml`), stringify(stackFile));
}

/** Another account shaped like the committed `search` (a cluster, alarm presets), with its own name and id. */
function accountLike(search: Record<string, any>, name: string, accountId: string, team: string): Record<string, any> {
  return JSON.parse(JSON.stringify({ ...search, name, accountId, team }).split("410987654321").join(accountId).split("search-").join(`${name}-`));
}

describe("plan (selfhosted): the shared self-hosted stack does not grow with the accounts", function () {
  this.timeout(240_000);
  let project: string;
  let out: string;
  let committed: StackFile;

  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "selfhosted-onboarding-project-"));
    out = fs.mkdtempSync(path.join(os.tmpdir(), "selfhosted-onboarding-out-"));
    fs.copyFileSync(path.join(PROJECT_DIR, `Pulumi.${ENVIRONMENT}.yaml`), path.join(project, `Pulumi.${ENVIRONMENT}.yaml`));
    committed = readStackFile(project);
  });
  afterEach(() => {
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("onboarding billing (a cluster and alarm presets) adds its two stacks and changes no resource of the shared stack", async () => {
    await planIntoFolder(project, { environment: ENVIRONMENT, outDir: out, policy: false });
    const search = committed.config["observability:workloads"].find((w: { name: string }) => w.name === "search");
    committed.config["observability:workloads"].push(accountLike(search, "billing", "510987654321", "payments"));
    writeStackFile(project, committed);
    const { report } = await planIntoFolder(project, { environment: ENVIRONMENT, outDir: out, policy: false });

    const byStack = Object.fromEntries(report.changes.stacks.map((s) => [s.stack, s]));
    expect(byStack["selfhosted-billing"]).to.include({ status: "added" });
    expect(byStack["selfhosted-hub-billing"]).to.include({ status: "added" });
    for (const stack of ["selfhosted-payments", "selfhosted-search", "selfhosted-hub-payments", "selfhosted-hub-search", "selfhosted-query"]) {
      expect(byStack[stack], stack).to.include({ status: "unchanged" });
    }
    const shared = byStack[ENVIRONMENT];
    expect({ added: shared.added, removed: shared.removed, changed: shared.changed.map((r) => `${r.type} ${r.name} [${r.keys}]`) }).to.deep.equal({ added: [], removed: [], changed: [] });
  });

  it("has the same resources in the shared stack at 1, 2 and 6 accounts", async () => {
    const workloads = committed.config["observability:workloads"] as Record<string, any>[];
    const search = workloads.find((w) => w.name === "search")!;
    const sizes: Record<number, Record<string, any>[]> = {
      1: workloads.filter((w) => w.name === "payments"),
      2: workloads,
      6: [...workloads, ...["billing", "ledger", "catalog", "checkout"].map((name, index) => accountLike(search, name, `5109876543${20 + index}`, index % 2 ? "search" : "payments"))],
    };
    const sharedResources: Record<number, string[]> = {};
    for (const [count, accounts] of Object.entries(sizes)) {
      writeStackFile(project, { config: { ...committed.config, "observability:workloads": accounts } });
      const run = await planIntoFolder(project, { environment: ENVIRONMENT, outDir: fs.mkdtempSync(path.join(out, `n${count}-`)), policy: false });
      const shared = run.plan.stacks.find((s) => s.stack === ENVIRONMENT)!;
      sharedResources[Number(count)] = shared.resources.map((r) => `${r.type} ${r.name}`).sort();
      expect(run.plan.stacks.filter((s) => s.stack.startsWith(`${ENVIRONMENT}-hub-`)).length).to.equal(Number(count));
    }
    console.log(`      shared self-hosted stack: ${sharedResources[1].length} resources at 1 account, ${sharedResources[2].length} at 2, ${sharedResources[6].length} at 6`);
    expect(sharedResources[2]).to.deep.equal(sharedResources[1]);
    expect(sharedResources[6]).to.deep.equal(sharedResources[1]);
  });
});
