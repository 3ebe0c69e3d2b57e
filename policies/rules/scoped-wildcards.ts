/**
 * A wildcard that stands for "every account" or "every workspace" is least-privilege only
 * when a condition brings it back to what the program owns. Identity policies may use:
 * - an ARN with any account (`arn:aws:iam::*:role/<name>`) only with a condition pinning
 *   the resource's organisation or account (aws:ResourceOrgID, aws:ResourceOrgPaths,
 *   aws:ResourceAccount);
 * - a wildcard AMP workspace (`workspace/*`) for the data-plane actions (write, query)
 *   only with an `aws:ResourceTag/<key>` condition that selects the intended workspaces.
 * These are what keep the hub's documents the same size at any number of accounts.
 */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule } from "../analysis/model";
import { actionPatternMatches, conditionEntries, isAllow, restricts, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";
import { PolicyStatement } from "../../components/iam/policy-document";

export const RESOURCE_SCOPE_KEYS = ["aws:resourceorgid", "aws:resourceorgpaths", "aws:resourceaccount"];
export const AMP_DATA_ACTIONS = ["aps:RemoteWrite", "aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"];

/** Condition keys the statement narrows with known values (analysis/statements.ts `restricts`). */
export function narrowingKeys(statement: PolicyStatement): string[] {
  return conditionEntries(statement)
    .filter((entry) => restricts(entry) && !entry.values.some(isUnknown))
    .map((entry) => entry.key.toLowerCase());
}

/** `arn:<partition>:<service>:<region>:*:...`: any account. */
export function isAnyAccountArn(resource: string): boolean {
  const parts = resource.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts[4] === "*";
}

export function isWildcardWorkspace(resource: string): boolean {
  return /^arn:[^:]+:aps:[^:]*:[^:]*:workspace\/.*[*?]/.test(resource);
}

export const scopedWildcards: ResourceRule<CommonRuleOptions> = {
  name: "scoped-wildcards",
  description: "Identity policies use an any-account ARN only with aws:ResourceOrgID/OrgPaths/Account, and a wildcard AMP workspace for writes or queries only with an aws:ResourceTag condition.",
  enforcementLevel: "mandatory",
  configProperties: {},
  resourceTypes: DOCUMENT_TYPES,
  check(record) {
    const { statements, findings } = walkStatements(record, ["identity"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      const location = where(site, statement, index);
      const resources = strings(statement.Resource);
      const actions = strings(statement.Action);
      if (resources.some(isUnknown) || actions.some(isUnknown)) {
        if (resources.some((r) => !isUnknown(r) && (isAnyAccountArn(r) || isWildcardWorkspace(r)))) {
          findings.push(unknownFinding(location, this.name, `${location}: Resource or Action`));
        }
        continue;
      }
      const keys = narrowingKeys(statement);
      const anyAccount = resources.filter(isAnyAccountArn);
      if (anyAccount.length > 0 && !keys.some((k) => RESOURCE_SCOPE_KEYS.includes(k))) {
        findings.push({
          location,
          message: `${location}: Resource ${anyAccount.join(", ")} matches that name in every AWS account. ` +
            `Fix: add a condition that pins the resource's owner, e.g. "StringEquals": {"aws:ResourceOrgID": "o-..."} ` +
            `(or aws:ResourceAccount with the account ids), or name each ARN.`,
        });
      }
      const workspaces = resources.filter(isWildcardWorkspace);
      const dataActions = actions.filter((a) => AMP_DATA_ACTIONS.some((d) => actionPatternMatches(a, d)));
      if (workspaces.length > 0 && dataActions.length > 0 && !keys.some((k) => k.startsWith("aws:resourcetag/"))) {
        findings.push({
          location,
          message: `${location}: ${dataActions.join(", ")} on ${workspaces.join(", ")} reaches every workspace of the account, ` +
            `other environments' and future ones included. Fix: add "StringEquals": {"aws:ResourceTag/observability:environment": "<env>"} ` +
            `(a tag only the intended workspaces carry), or name the workspace ARNs.`,
        });
      }
    }
    return findings;
  },
};
