/**
 * Identity policies may use `Resource: "*"` only for actions that accept nothing else: those
 * the AWS Service Authorization Reference gives no resource type (star-only), in every service.
 * Every action with a resource type names its resources. Actions the reference does not know
 * are known-actions' to report. Resource policies are out of scope: there `*` means "this
 * resource" (a KMS key policy).
 */
import { classifyAction, referenceLabel } from "../analysis/reference";
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule, stringListProperty } from "../analysis/model";
import { isAllow, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface NoWildcardResourceOptions extends CommonRuleOptions {
  /**
   * Actions accepted on `Resource: "*"` although the reference gives them a resource type (exact
   * text, case-insensitive), each a reviewed exception: e.g. discovery calls of a controller
   * that cannot name its resources in advance.
   */
  starOnlyActions?: string[];
}

/** `*`, or an ARN whose account and resource parts are both wildcards (`arn:aws:sns:*:*:*`). */
export function isAnyResource(resource: string): boolean {
  if (resource.trim() === "*") return true;
  const parts = resource.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return false;
  const account = parts[4];
  const rest = parts.slice(5).join(":");
  return (account === "*" || account === "") && rest.replace(/[*/]/g, "") === "";
}

export const noWildcardResource: ResourceRule<NoWildcardResourceOptions> = {
  name: "no-wildcard-resource",
  description: `Identity policies grant \`Resource: "*"\` only to actions that have no resource type in the ${referenceLabel()} (e.g. cloudwatch:GetMetricData).`,
  enforcementLevel: "mandatory",
  configProperties: { starOnlyActions: stringListProperty("Actions accepted on Resource \"*\" although the reference gives them a resource type (reviewed exceptions).") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, _context, options) {
    const { statements, findings } = walkStatements(record, ["identity"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      const location = where(site, statement, index);
      const resources = strings(statement.Resource);
      if (resources.some(isUnknown)) {
        findings.push(unknownFinding(location, this.name, `${location}: Resource`));
        continue;
      }
      const anyResource = resources.find(isAnyResource);
      if (anyResource === undefined) continue;
      const scoped: string[] = [];
      for (const action of strings(statement.Action)) {
        if (isUnknown(action)) {
          findings.push(unknownFinding(location, this.name, `${location}: an action`));
          continue;
        }
        const classified = classifyAction(action, options.starOnlyActions);
        if (classified.support !== "resource-level") continue;
        const covered = classified.resourceLevelMatches;
        const literal = covered.length === 1 && covered[0].toLowerCase() === action.toLowerCase();
        scoped.push(literal ? action : `${action} (covers ${shortList(covered)})`);
      }
      if (scoped.length > 0) {
        findings.push({
          location,
          message:
            `${location}: Resource "${anyResource}" on actions that accept resource ARNs (${scoped.join(", ")}). ` +
            `Fix: name the resources (e.g. arn:aws:aps:<region>:<account>:workspace/<id>, a topic or queue ARN, a role ARN) ` +
            `and keep only actions the Service Authorization Reference gives no resource type in a separate statement on "*".`,
        });
      }
    }
    return findings;
  },
};

function shortList(actions: string[], shown = 3): string {
  return actions.length <= shown ? actions.join(", ") : `${actions.slice(0, shown).join(", ")} and ${actions.length - shown} more with resource types`;
}
