/** Allow statements list what they grant: `NotAction`, `NotResource` and `NotPrincipal` grant everything else. */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule } from "../analysis/model";
import { isAllow, where } from "../analysis/statements";
import { walkStatements } from "../analysis/walk";

const FIXES: Array<{ field: "NotAction" | "NotResource" | "NotPrincipal"; grants: string; fix: string }> = [
  { field: "NotAction", grants: "every action except the listed ones, including actions AWS adds later", fix: "list the allowed actions in Action" },
  { field: "NotResource", grants: "every resource except the listed ones", fix: "list the allowed resources in Resource" },
  { field: "NotPrincipal", grants: "every principal except the listed ones", fix: "name the allowed principals in Principal" },
];

export const noNotActionNotResource: ResourceRule<CommonRuleOptions> = {
  name: "no-not-action-not-resource",
  description: "Allow statements do not use NotAction, NotResource or NotPrincipal.",
  enforcementLevel: "mandatory",
  configProperties: {},
  resourceTypes: DOCUMENT_TYPES,
  check(record) {
    const { statements, findings } = walkStatements(record, ["identity", "trust", "resource"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      const location = where(site, statement, index);
      for (const { field, grants, fix } of FIXES) {
        if (statement[field] === undefined) continue;
        findings.push({ location, message: `${location}: Allow with ${field} grants ${grants}. Fix: ${fix} instead of ${field}.` });
      }
    }
    return findings;
  },
};
