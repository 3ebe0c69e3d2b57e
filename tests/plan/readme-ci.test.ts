import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parseDocument } from "yaml";
import { PLAN_MARKDOWN_FILE } from "../../stacks/plan/output-folder";
import { environmentsOf } from "../../stacks/plan/stack-files";
import { PROJECT_DIR } from "../support/org-model";

interface Step { name?: string; if?: string; run?: string; uses?: string; with?: Record<string, unknown> }
interface Job { if?: string; permissions?: Record<string, string>; strategy?: { matrix?: { env?: string[] } }; steps: Step[] }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }

const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
const yamlBlocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

describe("README's GitHub Actions example", () => {
  it("is valid YAML", () => {
    expect(yamlBlocks).to.not.be.empty;
    for (const block of yamlBlocks) {
      const doc = parseDocument(block);
      expect(doc.errors.map(String), block.slice(0, 60)).to.deep.equal([]);
      expect(doc.warnings.map(String), block.slice(0, 60)).to.deep.equal([]);
    }
  });

  const workflows = yamlBlocks.map((block) => parseDocument(block).toJS() as Workflow).filter((w) => w && typeof w === "object" && "jobs" in w);

  it("has a pull-request job that runs the offline plan of each environment and posts its plan.md as a comment", () => {
    expect(workflows).to.have.length(1);
    const [workflow] = workflows;
    expect(workflow.on).to.have.property("pull_request");
    const planJobs = Object.entries(workflow.jobs).filter(([, job]) => job.steps.some((step) => /npm run plan -- --env/.test(step.run ?? "")));
    expect(planJobs.map(([name]) => name)).to.deep.equal(["plan"]);
    const job = workflow.jobs.plan;
    expect(job.if).to.match(/github\.event_name == 'pull_request'/);
    expect(job.strategy?.matrix?.env, "one plan per environment (Pulumi.<env>.yaml)").to.deep.equal(environmentsOf(PROJECT_DIR));
    expect(job.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });

    const planStep = job.steps.findIndex((step) => (step.run ?? "").trim() === "npm ci && npm run plan -- --env ${{ matrix.env }}");
    expect(planStep, "a step running `npm ci && npm run plan -- --env ${{ matrix.env }}`").to.be.greaterThan(-1);
    const planFile = `out/\${{ matrix.env }}/${PLAN_MARKDOWN_FILE}`;
    const comment = job.steps.slice(planStep + 1).find((step) => JSON.stringify(step).includes(planFile));
    expect(comment, `a step after the plan that posts ${planFile}`).to.not.equal(undefined);
    expect(`${comment!.uses ?? ""} ${comment!.run ?? ""}`).to.match(/marocchino\/sticky-pull-request-comment@v\d|gh pr comment .*--body-file/);
    // A failed plan writes a plan.md saying why: that one is posted too.
    expect(comment!.if ?? "").to.match(/!cancelled\(\)|always\(\)/);
    if (comment!.uses?.startsWith("marocchino/")) expect(comment!.with).to.include({ path: planFile });
  });

  it("keeps the deploy job: preview on pull requests, update on main, full update on schedule", () => {
    const runs = workflows[0].jobs.deploy.steps.map((step) => step.run ?? "").filter((run) => run.includes("npm run deploy"));
    expect(runs).to.have.length(3);
    expect(runs.filter((run) => run.includes("--preview"))).to.have.length(1);
    expect(runs.filter((run) => run.includes("--force"))).to.have.length(1);
  });
});
