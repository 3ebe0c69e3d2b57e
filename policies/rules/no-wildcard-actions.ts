/** No Allow statement may grant every action (`*`) or every action of a service (`aps:*`, `iam:*`...). */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, Finding, ResourceRule, stringListProperty } from "../analysis/model";
import { PolicyStatement } from "../../components/iam/policy-document";
import { DocumentSite } from "../analysis/documents";
import { accountOfPrincipal, isAllow, principalEntries, serviceOf, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface NoWildcardActionsOptions extends CommonRuleOptions {
  /** Wildcard actions accepted anyway (exact text, case-insensitive), each a reviewed exception. */
  allowedActions?: string[];
}

const EXAMPLE_ACTION: Record<string, string> = {
  aps: "aps:RemoteWrite", sns: "sns:Publish", sqs: "sqs:SendMessage", kms: "kms:Decrypt", sts: "sts:AssumeRole",
  iam: "iam:GetRole", logs: "logs:PutLogEvents", lambda: "lambda:InvokeFunction", events: "events:PutEvents",
  secretsmanager: "secretsmanager:GetSecretValue", cloudwatch: "cloudwatch:GetMetricData",
};

/** `*`, `service:*`, or a pattern whose service part is a wildcard (`*:Get*`). */
export function isServiceWideWildcard(action: string): boolean {
  const colon = action.indexOf(":");
  if (colon < 0) return /[*?]/.test(action);
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  return /[*?]/.test(service) || name.replace(/\*/g, "") === "";
}

export const noWildcardActions: ResourceRule<NoWildcardActionsOptions> = {
  name: "no-wildcard-actions",
  description: "Allow statements name their actions: no `*` and no whole-service wildcard such as `aps:*` or `iam:*`.",
  enforcementLevel: "mandatory",
  configProperties: { allowedActions: stringListProperty("Wildcard actions accepted anyway (reviewed exceptions), e.g. \"ec2:Describe*\".") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, context, options) {
    const allowed = new Set((options.allowedActions ?? []).map((a) => a.toLowerCase()));
    const { statements, findings } = walkStatements(record, ["identity", "trust", "resource"], this.name, { reportInvalid: true });
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement) || delegatesToOwnAccount(site, statement, context.accountId)) continue;
      const location = where(site, statement, index);
      const field = site.synthesisedFrom === "lambdaPermission" ? "action" : "Action";
      for (const action of strings(statement.Action)) {
        if (isUnknown(action)) {
          findings.push(unknownFinding(location, this.name, `${location}: an action`));
          continue;
        }
        if (!isServiceWideWildcard(action) || allowed.has(action.toLowerCase())) continue;
        findings.push(wildcardFinding(location, field, action));
      }
    }
    return findings;
  },
};

/**
 * A resource policy statement whose only principal is the owning account's root (the default
 * KMS key policy: `arn:aws:iam::<own account>:root` with `kms:*`) grants nothing by itself: it
 * hands the decision to that account's IAM policies, which this pack checks.
 */
function delegatesToOwnAccount(site: DocumentSite, statement: PolicyStatement, accountId: string | undefined): boolean {
  // With no owner account known nothing delegates to it (an unparsable principal's account is undefined too).
  if (site.role !== "resource" || accountId === undefined) return false;
  const principals = principalEntries(statement.Principal);
  return (
    principals.length > 0 &&
    principals.every((p) => p.kind === "AWS" && accountOfPrincipal(p.value) === accountId && (/^\d{12}$/.test(p.value) || p.value.endsWith(":root")))
  );
}

function wildcardFinding(location: string, field: string, action: string): Finding {
  const service = serviceOf(action);
  const everything = service.includes("*");
  const scope = everything ? "every action of every AWS service" : `every ${service} action, including ones added later`;
  const example = everything ? "sts:AssumeRole" : EXAMPLE_ACTION[service] ?? `${service}:<Action>`;
  return {
    location,
    message: `${location}: Allow with ${field} "${action}" grants ${scope}. Fix: list only the actions this principal calls (e.g. "${example}").`,
  };
}
