/**
 * Identity policies may use `Resource: "*"` only for actions that accept nothing else
 * (reviewed table in analysis/action-table.ts); every other action names its resources.
 * Resource policies are out of scope: there `*` means "this resource" (a KMS key policy).
 */
import { classifyAction } from "../analysis/action-table";
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule, stringListProperty } from "../analysis/model";
import { isAllow, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface NoWildcardResourceOptions extends CommonRuleOptions {
  /** Actions checked against the Service Authorization Reference as accepting only `*`, beyond the reviewed table. */
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
  description: "Identity policies grant `Resource: \"*\"` only to actions that support no resource-level permissions (e.g. cloudwatch:GetMetricData).",
  enforcementLevel: "mandatory",
  configProperties: { starOnlyActions: stringListProperty("Extra actions reviewed as accepting only \"*\" in IAM.") },
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
      const unreviewed: string[] = [];
      for (const action of strings(statement.Action)) {
        if (isUnknown(action)) {
          findings.push(unknownFinding(location, this.name, `${location}: an action`));
          continue;
        }
        const classified = classifyAction(action, options.starOnlyActions);
        if (classified.support === "resource-level") scoped.push(action);
        if (classified.support === "unreviewed") unreviewed.push(action);
      }
      if (scoped.length > 0) {
        findings.push({
          location,
          message:
            `${location}: Resource "${anyResource}" on actions that accept resource ARNs (${scoped.join(", ")}). ` +
            `Fix: name the resources (e.g. arn:aws:aps:<region>:<account>:workspace/<id>, a topic or queue ARN, a role ARN) ` +
            `and keep only actions that accept nothing but "*" in a separate statement.`,
        });
      }
      if (unreviewed.length > 0) {
        findings.push({
          location,
          message:
            `${location}: Resource "${anyResource}" on actions not in the reviewed table of star-only actions (${unreviewed.join(", ")}). ` +
            `Fix: scope them to resource ARNs, or, if the Service Authorization Reference lists no resource type for them, ` +
            `add them to the reviewed table (or this policy's starOnlyActions option).`,
        });
      }
    }
    return findings;
  },
};
