/** What the organisation consumes of one quota in one scope, before it is judged. */
import { QuotaId } from "./catalog";

/** Where a quota is counted: an account and region, and for per-resource quotas the resource. */
export interface QuotaScope {
  account: string;
  /** An AWS region, or "global" for IAM. */
  region: string;
  /** The workspace, event bus, rule or topic a per-resource quota is counted over. */
  resource?: string;
}

export interface QuotaUsage {
  quotaId: QuotaId;
  scope: QuotaScope;
  used: number;
  /** "plan": counted in the offline plan's resources; "config": derived from the organisation model. */
  basis: "plan" | "config";
}

/** Counted but not judged: AWS documents no limit for it. */
export interface UsageNote {
  scope: QuotaScope;
  text: string;
}

export const GLOBAL_REGION = "global";

export function scopeKey(quotaId: QuotaId, scope: QuotaScope): string {
  return [quotaId, scope.account, scope.region, scope.resource ?? ""].join("|");
}
