/**
 * The ingest rule: a tenant (one workload account) may write only series whose `account`
 * label is its own. A series without the label is refused too: it would be invisible to
 * every per-account data source and could not be attributed.
 */
import { SeriesLabels } from "./write-request";

export const ACCOUNT_LABEL = "account";

export interface ScopeVerdict {
  allowed: boolean;
  /** For the refusal's body and the proxy log: the first offending series, briefly. */
  reason?: string;
}

function describe(labels: SeriesLabels): string {
  const name = labels.__name__ ?? "(no name)";
  return `${name}{${ACCOUNT_LABEL}=${JSON.stringify(labels[ACCOUNT_LABEL] ?? "")}}`;
}

export function checkWriteScope(account: string, series: SeriesLabels[]): ScopeVerdict {
  for (const labels of series) {
    if (labels[ACCOUNT_LABEL] !== account) {
      const missing = labels[ACCOUNT_LABEL] === undefined;
      return {
        allowed: false,
        reason: missing
          ? `series ${describe(labels)} has no ${ACCOUNT_LABEL} label; this credential writes only ${ACCOUNT_LABEL}="${account}"`
          : `series ${describe(labels)} belongs to another account; this credential writes only ${ACCOUNT_LABEL}="${account}"`,
      };
    }
  }
  return { allowed: true };
}
