/**
 * The plan's "Quotas" section: one row per quota (its highest use over every account and
 * resource), then one line per increase to request and per blocker, marked so they cannot
 * be missed in a long plan output.
 */
import { QUOTAS, QuotaId } from "./catalog";
import { QuotaBlocker, QuotaEntry, QuotaReport, QuotaRequest, QuotaStatus } from "./quotas";
import { GLOBAL_REGION, QuotaScope } from "./usage";

const SHORT_SERVICE: Record<string, string> = { aps: "AMP", iam: "IAM", grafana: "Managed Grafana", events: "EventBridge", sns: "SNS" };
const UNIT_PLURAL: Record<string, string> = {
  "account-region": "accounts", account: "accounts", workspace: "workspaces", "event-bus": "event buses", rule: "rules", topic: "topics",
};
const RANK: Record<QuotaStatus, number> = { ok: 0, near: 1, exceeds: 2 };

function n(value: number): string {
  return value.toLocaleString("en-US");
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [line(rows[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.slice(1).map(line)].join("\n");
}

function where(scope: Pick<QuotaScope, "account" | "region">): string {
  return scope.region === GLOBAL_REGION ? `account ${scope.account} (global)` : `account ${scope.account} ${scope.region}`;
}

function scopeLabel(scope: QuotaScope): string {
  return scope.resource ? `${scope.resource} in ${where(scope)}` : where(scope);
}

function quotaLabel(e: Pick<QuotaEntry, "serviceCode" | "quota" | "verified">): string {
  return `${SHORT_SERVICE[e.serviceCode] ?? e.serviceCode}: ${e.quota}${e.verified === "unconfirmed" ? " *" : ""}`;
}

/** The entry that is closest to (or furthest over) its limit. */
function worst(entries: QuotaEntry[]): QuotaEntry {
  return entries.reduce((a, b) => (b.used / b.defaultLimit > a.used / a.defaultLimit ? b : a));
}

function summaryRows(entries: QuotaEntry[]): string[][] {
  const byQuota = new Map<QuotaId, QuotaEntry[]>();
  for (const e of entries) byQuota.set(e.quotaId, [...(byQuota.get(e.quotaId) ?? []), e]);
  return [...byQuota.entries()].map(([id, group]) => {
    const top = worst(group);
    const status = group.reduce<QuotaStatus>((s, e) => (RANK[e.status] > RANK[s] ? e.status : s), "ok");
    const scope = `${top.scope.account} ${top.scope.region}${top.scope.resource ? ` ${top.scope.resource}` : ""}` +
      (group.length > 1 ? ` [max of ${n(group.length)} ${UNIT_PLURAL[QUOTAS[id].unit]}]` : "");
    return [quotaLabel(top), scope, n(top.used), n(top.defaultLimit), status === "ok" ? "ok" : status.toUpperCase()];
  });
}

function cliLine(r: QuotaRequest): string | undefined {
  if (!r.quotaCode) return undefined;
  // IAM's quotas live in us-east-1 in Service Quotas.
  const region = r.region === GLOBAL_REGION ? "us-east-1" : r.region;
  return `!!   aws service-quotas request-service-quota-increase --service-code ${r.serviceCode} --quota-code ${r.quotaCode} ` +
    `--desired-value ${r.requestedValue} --region ${region}   # with credentials of account ${r.account}`;
}

export function requestLine(r: QuotaRequest): string {
  const code = r.quotaCode ? ` (${r.serviceCode} ${r.quotaCode})` : ` (${r.serviceCode}; find the code in the Service Quotas console)`;
  const over = r.resources.length > 1 ? ` for ${r.resources.length} ${UNIT_PLURAL[QUOTAS[r.quotaId].unit]}` : r.resources.length === 1 ? ` for ${r.resources[0]}` : "";
  const what = `${r.service} "${r.quota}"${code}, ${where(r)}${over}`;
  return r.status === "exceeds"
    ? `!! REQUEST ${what}: default ${n(r.defaultLimit)}, needs ${n(r.used)}: request ${n(r.requestedValue)}`
    : `!! NEAR ${what}: ${n(r.used)} of ${n(r.defaultLimit)} used: request ${n(r.requestedValue)} before the organisation grows`;
}

function blockerLine(b: QuotaBlocker): string {
  return `!! BLOCKED ${b.entry.service} "${b.entry.quota}", ${scopeLabel(b.entry.scope)}: ${n(b.entry.used)} > ${n(b.entry.defaultLimit)}: ${b.reason}`;
}

/** One line for the end of a long output: empty when there is nothing to do. */
export function quotaBanner(report: QuotaReport): string | undefined {
  const exceeds = report.requests.filter((r) => r.status === "exceeds").length;
  const near = report.requests.length - exceeds;
  if (report.blockers.length + report.requests.length === 0) return undefined;
  const parts = [
    report.blockers.length ? `${report.blockers.length} quota(s) cannot be raised enough (deployment would fail)` : "",
    exceeds ? `${exceeds} quota increase(s) MUST be granted before deploying` : "",
    near ? `${near} quota(s) near the default: request the increase` : "",
  ].filter(Boolean);
  return `!! QUOTAS: ${parts.join("; ")} (see the Quotas section)`;
}

export function formatQuotaReport(report: QuotaReport): string {
  const counted = report.basis === "plan" ? "counted in this plan's resources" : "derived from the organisation model, no plan";
  const lines = [
    `## Quotas (AWS default service quotas; usage ${counted}, on top of what the accounts already hold)`,
    table([["quota", "scope (highest use)", "used", "default", "status"], ...summaryRows(report.entries)]),
  ];
  if (report.entries.some((e) => e.verified === "unconfirmed")) {
    lines.push("* default from an older or third-party listing, not confirmed on the current AWS page: check the Service Quotas console");
  }
  for (const note of report.notes) lines.push(`${note.scope.resource ?? "note"} (account ${note.scope.account}): ${note.text}`);

  if (report.requests.length === 0 && report.blockers.length === 0) {
    lines.push("No quota increase needed: every quota is below 80 % of its default.");
    return lines.join("\n");
  }
  lines.push("");
  const banner = quotaBanner(report);
  if (banner) lines.push(banner);
  if (report.requests.length > 0) {
    lines.push("!! Increases are Service Quotas requests, not plan errors: file them (and wait for them) before `pulumi up`.");
  }
  for (const b of report.blockers) lines.push(blockerLine(b));
  for (const r of report.requests) {
    lines.push(requestLine(r));
    const cli = cliLine(r);
    if (cli) lines.push(cli);
  }
  return lines.join("\n");
}
