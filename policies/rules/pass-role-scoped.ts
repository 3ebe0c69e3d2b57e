/** iam:PassRole only on named roles and only to a named service (iam:PassedToService). */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule } from "../analysis/model";
import { actionPatternMatches, hasWildcard, isAllow, isExactRoleArn, pinnedBy, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export const passRoleScoped: ResourceRule<CommonRuleOptions> = {
  name: "pass-role-scoped",
  description: "iam:PassRole is granted only on named role ARNs and with an iam:PassedToService condition.",
  enforcementLevel: "mandatory",
  configProperties: {},
  resourceTypes: DOCUMENT_TYPES,
  check(record) {
    const { statements, findings } = walkStatements(record, ["identity"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      const actions = strings(statement.Action);
      if (actions.some(isUnknown)) {
        findings.push(unknownFinding(where(site, statement, index), this.name, `${where(site, statement, index)}: an action`));
        continue;
      }
      const grantsPassRole = actions.some((a) => !isUnknown(a) && actionPatternMatches(a, "iam:PassRole"));
      if (!grantsPassRole) continue;
      const location = where(site, statement, index);
      const resources = strings(statement.Resource);
      if (resources.some(isUnknown)) {
        findings.push(unknownFinding(location, this.name, `${location}: Resource`));
      } else {
        const loose = resources.filter((r) => !isExactRoleArn(r));
        if (loose.length > 0 || resources.length === 0) {
          findings.push({
            location,
            message: `${location}: iam:PassRole on ${loose.length > 0 ? loose.join(", ") : "no named role"} lets the holder hand any matching role to a service. Fix: list the exact role ARNs (arn:aws:iam::<account>:role/<name>, no wildcard).`,
          });
        }
      }
      const pinned = pinnedBy(statement, ["iam:PassedToService"], (value) => !hasWildcard(value));
      if (pinned === "unknown") findings.push(unknownFinding(location, this.name, `${location}: the iam:PassedToService condition`));
      if (pinned === "no") {
        findings.push({
          location,
          message: `${location}: iam:PassRole without an iam:PassedToService condition lets the role be passed to any service. Fix: add StringEquals "iam:PassedToService": "<service>.amazonaws.com" (e.g. "lambda.amazonaws.com").`,
        });
      }
    }
    return findings;
  },
};
