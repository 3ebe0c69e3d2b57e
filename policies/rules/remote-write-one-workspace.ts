/**
 * Stack-wide: each role may remote-write to at most one AMP workspace, named exactly. The hub
 * gives every workload account its own workspace and ingest role; a role that can write to
 * two workspaces (through several inline policies, or a wildcard) breaks that isolation.
 */
import { ROLE_TYPE } from "../analysis/documents";
import { CommonRuleOptions, isExempt, ResourceRecord, StackFinding, StackRule } from "../analysis/model";
import { actionPatternMatches, hasWildcard, isAllow, roleName, strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

interface Grant {
  urn: string;
  location: string;
  resources: string[];
}

const ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy";

/** Which role a document belongs to: the role's name, or the resource itself when the name is not known. */
function writerKey(record: ResourceRecord): string {
  const name = record.type === ROLE_TYPE ? record.inputs.name ?? record.name : record.type === ROLE_POLICY_TYPE ? record.inputs.role : undefined;
  return typeof name === "string" && !isUnknown(name) ? `role ${roleName(name)}` : `${record.type} ${record.name}`;
}

export const remoteWriteOneWorkspace: StackRule<CommonRuleOptions> = {
  name: "remote-write-one-workspace-per-role",
  description: "Across the stack, each role may aps:RemoteWrite to at most one AMP workspace, named by its exact ARN.",
  enforcementLevel: "mandatory",
  configProperties: {},
  checkStack(records, _contextOf, options) {
    const grants = new Map<string, Grant[]>();
    const findings: StackFinding[] = [];
    for (const record of records) {
      if (isExempt(options, record)) continue;
      const { statements, findings: unknowns } = walkStatements(record, ["identity"], this.name);
      for (const { site, statement, index } of statements) {
        if (!isAllow(statement)) continue;
        const actions = strings(statement.Action);
        if (actions.some(isUnknown)) {
          const location = where(site, statement, index);
          findings.push({ urn: record.urn, ...unknownFinding(location, this.name, `${location}: an action`) });
          continue;
        }
        if (!actions.some((a) => !isUnknown(a) && actionPatternMatches(a, "aps:RemoteWrite"))) continue;
        const location = where(site, statement, index);
        const resources = strings(statement.Resource);
        if (resources.some(isUnknown)) {
          findings.push({ urn: record.urn, ...unknownFinding(location, this.name, `${location}: Resource`) });
          continue;
        }
        const key = writerKey(record);
        grants.set(key, [...(grants.get(key) ?? []), { urn: record.urn, location, resources }]);
      }
      // Unknown identity documents may hide a grant; say so once per resource.
      for (const unknown of unknowns) findings.push({ urn: record.urn, ...unknown });
    }
    for (const [writer, list] of grants) {
      const workspaces = new Set(list.flatMap((g) => g.resources));
      const wildcards = [...workspaces].filter(hasWildcard);
      if (workspaces.size <= 1 && wildcards.length === 0) continue;
      const first = list[0];
      const where = list.map((g) => `${g.location} of ${g.urn.split("::").pop()}`).join("; ");
      findings.push({
        urn: first.urn,
        location: first.location,
        message:
          `${writer}: aps:RemoteWrite reaches ${wildcards.length > 0 ? `workspace patterns ${wildcards.join(", ")}` : `${workspaces.size} workspaces (${[...workspaces].sort().join(", ")})`} through ${where}. ` +
          `Fix: give each account's ingest role allowRemoteWrite(<that account's workspace ARN>) only, one workspace per role.`,
      });
    }
    return findings;
  },
};
