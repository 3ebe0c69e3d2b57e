/**
 * The plan's summary files: `plan.json` for machines (CI, bots) and `plan.md` for a
 * pull-request comment. Both say the same: stacks and their resources, each account's
 * setup, policy findings, what changed since the previous plan and what to do by hand.
 */
import { PolicyViolation } from "../../policies/evaluate";
import { AccountSummary, accountLines } from "./accounts";
import { changeLines, PlanChanges } from "./changes";
import { FollowUp } from "./follow-ups";
import { PlanFolderHeader } from "./output-folder";
import { EnvironmentPlan, StackKind } from "./plan";

export const PLAN_FORMAT = "observability-plan/v1";

export interface StackPolicyResult {
  stack: string;
  violations: PolicyViolation[];
  /** What the project's reviewed exceptions (policies/policy-config.json) let through in this stack. */
  exceptionsApplied?: AppliedException[];
}

/** A finding the pack makes with its defaults that the project's config turns off. */
export interface AppliedException {
  policy: string;
  resourceName: string;
  message: string;
}

export interface PlanReport extends PlanFolderHeader {
  status: "succeeded";
  plannedAt: string;
  hub: { stack: string; accountId: string; region: string };
  stacks: Array<{
    stack: string;
    kind: StackKind;
    accountId: string;
    resources: number;
    resourcesByType: Record<string, number>;
    artifacts: number;
  }>;
  accounts: AccountSummary[];
  policy: {
    evaluated: boolean;
    mandatory: number;
    advisory: number;
    findings: Array<{ stack: string; policy: string; enforcementLevel: string; resourceType: string; resourceName: string; message: string }>;
    /** Per stack: what the project's reviewed exceptions let through (policies/policy-config.json). */
    exceptionsApplied: Array<{ stack: string } & AppliedException>;
  };
  changes: PlanChanges;
  followUps: FollowUp[];
}

export interface FailedPlanReport extends PlanFolderHeader {
  status: "failed";
  failedAt: string;
  error: string;
}

export interface ReportInputs {
  plan: EnvironmentPlan;
  region: string;
  accounts: AccountSummary[];
  /** Undefined when the policy pack was skipped (--no-policy). */
  policy?: StackPolicyResult[];
  changes: PlanChanges;
  followUps: FollowUp[];
  plannedAt?: Date;
}

export function buildPlanReport(inputs: ReportInputs): PlanReport {
  const { plan } = inputs;
  const hub = plan.stacks.find((s) => s.kind === "hub")!;
  const findings = (inputs.policy ?? []).flatMap((s) => s.violations.map((v) => ({
    stack: s.stack, policy: v.policy, enforcementLevel: v.enforcementLevel, resourceType: v.resourceType, resourceName: v.resourceName, message: v.message,
  })));
  return {
    format: PLAN_FORMAT,
    environment: plan.environment,
    status: "succeeded",
    plannedAt: (inputs.plannedAt ?? new Date()).toISOString(),
    hub: { stack: hub.stack, accountId: hub.accountId, region: inputs.region },
    stacks: plan.stacks.map((s) => {
      const resourcesByType: Record<string, number> = {};
      for (const r of [...s.resources].sort((a, b) => a.type.localeCompare(b.type))) resourcesByType[r.type] = (resourcesByType[r.type] ?? 0) + 1;
      return { stack: s.stack, kind: s.kind, accountId: s.accountId, resources: s.resources.length, resourcesByType, artifacts: s.artifacts.length };
    }),
    accounts: inputs.accounts,
    policy: {
      evaluated: inputs.policy !== undefined,
      mandatory: findings.filter((f) => f.enforcementLevel === "mandatory").length,
      advisory: findings.filter((f) => f.enforcementLevel === "advisory").length,
      findings,
      exceptionsApplied: (inputs.policy ?? []).flatMap((s) => (s.exceptionsApplied ?? []).map((e) => ({ stack: s.stack, ...e }))),
    },
    changes: inputs.changes,
    followUps: inputs.followUps,
  };
}

export function failedPlanReport(environment: string, error: unknown, failedAt = new Date()): FailedPlanReport {
  return { format: PLAN_FORMAT, environment, status: "failed", failedAt: failedAt.toISOString(), error: error instanceof Error ? error.message : String(error) };
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function followUpLines(followUps: FollowUp[], when: FollowUp["when"]): string[] {
  return followUps.filter((f) => f.when === when).flatMap((f) => [
    `- **${f.account}**: ${f.what}`,
    ...(f.command ? [`  \`${f.command}\``] : []),
  ]);
}

/** Markdown for a pull-request comment. */
export function renderPlanMarkdown(report: PlanReport): string {
  const out: string[] = [`## Offline plan of \`${report.environment}\``, ""];
  const total = report.stacks.reduce((n, s) => n + s.resources, 0);
  const policy = report.policy.evaluated
    ? `${report.policy.mandatory === 0 ? "passed" : "**failed**"}: ${report.policy.mandatory} mandatory, ${report.policy.advisory} advisory`
    : "not evaluated (--no-policy)";
  out.push(`${report.stacks.length} stacks, ${total} resources; hub in account ${report.hub.accountId} (${report.hub.region}). Policy pack ${policy}.`, "");

  out.push("| stack | kind | account | resources | artifacts | change |", "|---|---|---|---:|---:|---|");
  for (const s of report.stacks) {
    const change = report.changes.stacks.find((c) => c.stack === s.stack);
    const summary = !report.changes.compared ? "" : !change || change.status === "unchanged" ? "no change" : change.status === "added" ? "new stack"
      : `+${change.added.length} -${change.removed.length} ~${change.changed.length}`;
    out.push(`| ${s.stack} | ${s.kind} | ${s.accountId} | ${s.resources} | ${s.artifacts} | ${summary} |`);
  }
  for (const removed of report.changes.stacks.filter((c) => c.status === "removed")) {
    out.push(`| ~~${removed.stack}~~ | | | | | stack removed (${removed.removed.length} resources) |`);
  }

  out.push("", "### Accounts", "");
  for (const account of report.accounts) {
    out.push(`**${account.account}** (${account.accountId}, stack \`${account.stack}\`, team ${account.team})`, "");
    for (const line of accountLines(account)) out.push(`- ${cell(line)}`);
    out.push("");
  }

  out.push("### Changes since the previous plan", "");
  const changes = changeLines(report.changes);
  out.push(...(report.changes.compared ? ["```diff", ...changes, "```"] : [changes[0]]), "");

  out.push("### Policy findings", "");
  if (!report.policy.evaluated) out.push("The policy pack was not evaluated (--no-policy).");
  else if (report.policy.findings.length === 0) out.push("None.");
  else {
    out.push("| stack | level | policy | resource | finding |", "|---|---|---|---|---|");
    for (const f of report.policy.findings) out.push(`| ${f.stack} | ${f.enforcementLevel} | ${f.policy} | ${cell(`${f.resourceType} ${f.resourceName}`)} | ${cell(f.message)} |`);
  }
  out.push("");
  if (report.policy.evaluated) {
    out.push("### Policy exceptions applied (policies/policy-config.json)", "");
    const applied = exceptionLines(report);
    out.push(...(applied.length === 0 ? ["None."] : applied.map((l) => `- ${cell(l)}`)), "");
  }

  out.push("### Manual steps", "", "Before `pulumi up`:", "", ...(followUpLines(report.followUps, "before").length > 0 ? followUpLines(report.followUps, "before") : ["- none"]),
    "", "After `pulumi up`:", "", ...(followUpLines(report.followUps, "after").length > 0 ? followUpLines(report.followUps, "after") : ["- none"]), "");
  return out.join("\n");
}

export function renderFailedPlanMarkdown(report: FailedPlanReport): string {
  return [`## Offline plan of \`${report.environment}\`: failed`, "", "```", report.error, "```", "",
    "Nothing in this folder is a current result; the last successful plan, if any, is kept in `last-successful/` for comparison only.", ""].join("\n");
}

/** One line per stack, policy and resource the project's reviewed exceptions let through. */
export function exceptionLines(report: PlanReport): string[] {
  const grouped = new Map<string, number>();
  for (const e of report.policy.exceptionsApplied) {
    const line = `${e.stack}: ${e.policy} on ${e.resourceName}`;
    grouped.set(line, (grouped.get(line) ?? 0) + 1);
  }
  return [...grouped].map(([line, count]) => (count > 1 ? `${line} (${count} findings)` : line));
}

/** The console sections the plan prints after its per-stack tables. */
export function formatReportSections(report: PlanReport): string {
  const blocks: string[] = [];
  if (report.policy.evaluated) {
    const applied = exceptionLines(report);
    blocks.push("\n## Policy exceptions applied (policies/policy-config.json)\n" + (applied.map((l) => `  - ${l}`).join("\n") || "  - none"));
  }
  blocks.push("\n## Accounts\n" + report.accounts.map((a) => [`${a.account} (${a.accountId}, stack ${a.stack}, team ${a.team})`, ...accountLines(a).map((l) => `  ${l}`)].join("\n")).join("\n"));
  blocks.push("\n## Changes since the previous plan\n" + changeLines(report.changes).join("\n"));
  const steps = (when: FollowUp["when"]) => report.followUps.filter((f) => f.when === when)
    .map((f) => `  - [${f.account}] ${f.what}${f.command ? `\n      ${f.command}` : ""}`);
  blocks.push("\n## Manual steps\nbefore pulumi up:\n" + (steps("before").join("\n") || "  - none") + "\nafter pulumi up:\n" + (steps("after").join("\n") || "  - none"));
  return blocks.join("\n");
}
