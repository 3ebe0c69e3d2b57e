/**
 * Preflight quotas: the organisation model (and, where more exact, the offline plan) against
 * the AWS service quotas the design consumes, before anything is deployed. Pure: data in,
 * a report out.
 *
 * - `ok`: below 80 % of the default quota;
 * - `near`: at or above 80 % (at the limit included): request the increase before growing;
 * - `exceeds`: more than the default quota: the deployment fails until the increase is granted.
 *
 * An adjustable quota that is near or exceeded becomes a request (service, quota, account,
 * region, value): a request is not an error. A quota that cannot be raised far enough (not
 * adjustable, or beyond the highest value AWS grants) is a blocker: the design must change.
 */
import { HubStackConfig } from "../config/schema";
import { EnvironmentPlan } from "../plan/plan";
import { NEAR_RATIO, QUOTAS, QuotaDefinition, QuotaId, Verification } from "./catalog";
import { usageFromConfig } from "./usage-from-config";
import { usageFromPlan } from "./usage-from-plan";
import { QuotaScope, QuotaUsage, UsageNote } from "./usage";

export type QuotaStatus = "ok" | "near" | "exceeds";

/** Which quota: the catalog's names and Service Quotas codes, shared by entries and requests. */
export interface QuotaIdentity {
  quotaId: QuotaId;
  quota: string;
  service: string;
  serviceCode: string;
  quotaCode?: string;
}

export interface QuotaEntry extends QuotaIdentity {
  scope: QuotaScope;
  used: number;
  defaultLimit: number;
  adjustable: boolean;
  maximum?: number;
  status: QuotaStatus;
  basis: "plan" | "config";
  verified: Verification;
}

/** One Service Quotas increase: per quota, account and region (it covers every resource there). */
export interface QuotaRequest extends QuotaIdentity {
  account: string;
  region: string;
  /** For per-resource quotas: the resources at or over the threshold. */
  resources: string[];
  status: "near" | "exceeds";
  defaultLimit: number;
  /** The highest usage in this account and region. */
  used: number;
  /** The value to request: the usage with 20 % headroom (capped at the quota's maximum). */
  requestedValue: number;
}

export interface QuotaBlocker {
  entry: QuotaEntry;
  reason: string;
}

export interface QuotaReport {
  entries: QuotaEntry[];
  requests: QuotaRequest[];
  blockers: QuotaBlocker[];
  /** Counted, with no documented limit to judge them by. */
  notes: UsageNote[];
  basis: "plan" | "config";
}

export interface QuotaCheckInput {
  /** The validated hub config: the organisation model. */
  config: HubStackConfig;
  /** The offline plan of the same environment: exact counts where given. */
  plan?: EnvironmentPlan;
}

export function statusOf(used: number, limit: number): QuotaStatus {
  if (used > limit) return "exceeds";
  return used >= limit * NEAR_RATIO ? "near" : "ok";
}

/** The value to ask for: the usage with headroom so it is no longer "near", capped at the quota's maximum. */
export function requestedValue(used: number, definition: Pick<QuotaDefinition, "maximum">): number {
  const wanted = Math.ceil(used / NEAR_RATIO);
  return definition.maximum !== undefined ? Math.min(wanted, definition.maximum) : wanted;
}

function identityOf(quotaId: QuotaId): QuotaIdentity {
  const definition = QUOTAS[quotaId];
  return {
    quotaId,
    quota: definition.name,
    service: definition.service,
    serviceCode: definition.serviceCode,
    ...(definition.quotaCode ? { quotaCode: definition.quotaCode } : {}),
  };
}

function entryOf(usage: QuotaUsage): QuotaEntry {
  const definition = QUOTAS[usage.quotaId];
  const defaultLimit = definition.defaultLimit(usage.scope.region);
  return {
    ...identityOf(usage.quotaId),
    scope: usage.scope,
    used: usage.used,
    defaultLimit,
    adjustable: definition.adjustable,
    ...(definition.maximum !== undefined ? { maximum: definition.maximum } : {}),
    status: statusOf(usage.used, defaultLimit),
    basis: usage.basis,
    verified: definition.verified,
  };
}

function blockerOf(entry: QuotaEntry): QuotaBlocker | undefined {
  if (entry.status !== "exceeds") return undefined;
  if (!entry.adjustable) return { entry, reason: `${entry.quota} cannot be raised (not adjustable): the design must use fewer` };
  if (entry.maximum !== undefined && entry.used > entry.maximum) {
    return { entry, reason: `${entry.quota} can be raised to ${entry.maximum} at most, and ${entry.used} are needed: the design must use fewer` };
  }
  return undefined;
}

function requestsOf(entries: QuotaEntry[]): QuotaRequest[] {
  const groups = new Map<string, QuotaEntry[]>();
  for (const e of entries) {
    if (e.status === "ok" || !e.adjustable) continue;
    const key = [e.quotaId, e.scope.account, e.scope.region].join("|");
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    const used = Math.max(...group.map((e) => e.used));
    return {
      ...identityOf(first.quotaId),
      account: first.scope.account,
      region: first.scope.region,
      resources: group.map((e) => e.scope.resource).filter((r): r is string => r !== undefined),
      status: group.some((e) => e.status === "exceeds") ? "exceeds" : "near",
      defaultLimit: first.defaultLimit,
      used,
      requestedValue: requestedValue(used, first),
    };
  });
}

const ORDER = Object.keys(QUOTAS) as QuotaId[];

export function checkQuotas(input: QuotaCheckInput): QuotaReport {
  const region = input.config.hub.region;
  const fromPlan = input.plan ? usageFromPlan(input.plan, region) : undefined;
  const usage = fromPlan?.usage ?? usageFromConfig(input.config);
  const entries = usage.map(entryOf).sort((a, b) =>
    ORDER.indexOf(a.quotaId) - ORDER.indexOf(b.quotaId) ||
    a.scope.account.localeCompare(b.scope.account) ||
    (a.scope.resource ?? "").localeCompare(b.scope.resource ?? ""));
  return {
    entries,
    requests: requestsOf(entries),
    blockers: entries.map(blockerOf).filter((b): b is QuotaBlocker => b !== undefined),
    notes: fromPlan?.notes ?? [],
    basis: fromPlan ? "plan" : "config",
  };
}
