/**
 * Advisory: an action the reference describes as deprecated still works today but is on its
 * way out; its replacement is named in the reference's description. iam-data has no structured
 * "deprecated" or "[permission only]" flag, so this reads the descriptions' own wording
 * (analysis/reference.ts `deprecationNote`); permission-only actions cannot be told apart in it.
 * Only actions named exactly are reported: a wildcard that also covers deprecated actions is fine.
 */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, Finding, ResourceRule } from "../analysis/model";
import { deprecationNote, matchAction, referenceLabel } from "../analysis/reference";
import { strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { walkStatements } from "../analysis/walk";

export const deprecatedActions: ResourceRule<CommonRuleOptions> = {
  name: "deprecated-actions",
  description: `Advisory: actions the ${referenceLabel()} describes as deprecated.`,
  enforcementLevel: "advisory",
  configProperties: {},
  resourceTypes: DOCUMENT_TYPES,
  check(record) {
    // Unknown values are reported by the mandatory policies; an advisory adds nothing to them.
    const { statements } = walkStatements(record, ["identity", "trust", "resource"], this.name);
    const findings: Finding[] = [];
    for (const { site, statement, index } of statements) {
      const location = where(site, statement, index);
      for (const field of ["Action", "NotAction"] as const) {
        for (const action of strings(statement[field])) {
          if (isUnknown(action)) continue;
          const match = matchAction(action);
          if (match.kind !== "service" || match.wildcard || match.actions.length !== 1) continue;
          const note = deprecationNote(match.actions[0]);
          if (note === undefined) continue;
          findings.push({
            location,
            message: `${location}: ${field} "${action}" is deprecated according to the reference ("${note}"). Fix: grant the action that replaces it (the description names it where AWS does), then drop ${action}.`,
          });
        }
      }
    }
    return findings;
  },
};
