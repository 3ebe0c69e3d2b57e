/**
 * Every Resource ARN can name a resource that one of the statement's actions acts on: its
 * shape fits the ARN format of at least one resource type the reference gives those actions
 * (wildcards count where they can match). `aps:RemoteWrite` on an SNS topic ARN, an IAM role
 * ARN with a region, or a specific ARN on actions that accept only `*` match no request, so the
 * statement does not do what it says. `*` and resource policies' own `*` are not judged here
 * (no-wildcard-resource and scoped-wildcards are about how broad a resource is).
 */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule } from "../analysis/model";
import { arnFitsFormat } from "../analysis/arn-shape";
import { matchAction, ReferenceAction, referenceLabel, resourceTypeOf } from "../analysis/reference";
import { strings, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

const SHOWN_FORMATS = 4;

export const resourceArnsFitActions: ResourceRule<CommonRuleOptions> = {
  name: "resource-arns-fit-actions",
  description: `Every Resource ARN fits a resource type (ARN format) that the ${referenceLabel()} gives one of the statement's actions.`,
  enforcementLevel: "mandatory",
  configProperties: {},
  resourceTypes: DOCUMENT_TYPES,
  check(record) {
    const { statements, findings } = walkStatements(record, ["identity", "trust", "resource"], this.name);
    for (const { site, statement, index } of statements) {
      // A Lambda permission's resource is the function itself, not an ARN in the document.
      // A NotAction statement names no actions: it has no resource types to judge against (below).
      if (site.synthesisedFrom === "lambdaPermission") continue;
      const resources = strings(statement.Resource).filter((r) => isUnknown(r) || r.trim() !== "*");
      if (resources.length === 0) continue;
      const location = where(site, statement, index);
      const actionTexts = strings(statement.Action);
      if (actionTexts.some(isUnknown)) {
        findings.push(unknownFinding(location, this.name, `${location}: an action`));
        continue;
      }
      const actions: ReferenceAction[] = [];
      let judged = true;
      for (const text of actionTexts) {
        const match = matchAction(text);
        // `*` and `*:Get*` cover every resource type; unknown actions are known-actions' to report.
        if (match.kind === "any-service") judged = false;
        if (match.kind === "service") actions.push(...match.actions);
      }
      if (!judged || actions.length === 0) continue;
      const formats = formatsOf(actions);
      for (const resource of resources) {
        if (isUnknown(resource)) {
          findings.push(unknownFinding(location, this.name, `${location}: Resource`));
          continue;
        }
        if (!resource.startsWith("arn:")) {
          findings.push({
            location,
            message: `${location}: Resource "${resource}" is neither "*" nor an ARN, which IAM refuses (or, where it is accepted, matches no resource). Fix: give the resource's full ARN (arn:<partition>:<service>:<region>:<account>:<resource>).`,
          });
          continue;
        }
        if (formats.some((f) => arnFitsFormat(resource, f.arn))) continue;
        findings.push({ location, message: misfit(location, resource, actionTexts, formats) });
      }
    }
    return findings;
  },
};

interface Format {
  type: string;
  arn: string;
}

function formatsOf(actions: ReferenceAction[]): Format[] {
  const formats = new Map<string, Format>();
  for (const action of actions) {
    for (const use of action.resourceTypes) {
      const type = resourceTypeOf(action.service, use.name);
      if (type && !formats.has(type.arn)) formats.set(type.arn, { type: type.key, arn: type.arn });
    }
  }
  return [...formats.values()];
}

function misfit(location: string, resource: string, actions: string[], formats: Format[]): string {
  const named = actions.join(", ");
  if (formats.length === 0) {
    return (
      `${location}: Resource "${resource}" on ${named}, which accept${actions.length === 1 ? "s" : ""} only Resource "*" (no resource type in the reference), ` +
      `so the statement matches no request. Fix: use Resource "*" for these actions (in a statement of their own), or the action that acts on ${resource}.`
    );
  }
  const shown = formats.slice(0, SHOWN_FORMATS).map((f) => `${f.type}: ${f.arn}`).join("; ");
  const more = formats.length > SHOWN_FORMATS ? ` and ${formats.length - SHOWN_FORMATS} more` : "";
  return (
    `${location}: Resource "${resource}" fits none of the resource types of ${named} (${shown}${more}), ` +
    `so the statement never applies to it. Fix: name a resource of those types, or the action meant for ${resource}.`
  );
}
