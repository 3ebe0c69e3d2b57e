/**
 * Confused-deputy protection: a resource policy (SNS topic, SQS queue, KMS key, EventBridge
 * bus, Lambda permission) that admits an AWS service principal says on whose behalf, with
 * aws:SourceArn or aws:SourceAccount; otherwise the service may act for any customer.
 */
import { DOCUMENT_TYPES } from "../analysis/documents";
import { CommonRuleOptions, ResourceRule, stringListProperty } from "../analysis/model";
import { isAllow, pinnedBy, principalEntries, where } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding, walkStatements } from "../analysis/walk";

export interface ServicePrincipalOptions extends CommonRuleOptions {
  /** Service principals accepted without a source condition (reviewed exceptions). */
  allowedServicePrincipals?: string[];
}

export const CONFUSED_DEPUTY_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

export const servicePrincipalSourcePinned: ResourceRule<ServicePrincipalOptions> = {
  name: "service-principal-source-pinned",
  description: "Resource policies that admit an AWS service principal carry aws:SourceArn or aws:SourceAccount; Lambda permissions set sourceArn or sourceAccount.",
  enforcementLevel: "mandatory",
  configProperties: { allowedServicePrincipals: stringListProperty("Service principals accepted without aws:SourceArn/aws:SourceAccount (reviewed exceptions).") },
  resourceTypes: DOCUMENT_TYPES,
  check(record, _context, options) {
    const allowed = new Set(options.allowedServicePrincipals ?? []);
    const { statements, findings } = walkStatements(record, ["resource"], this.name);
    for (const { site, statement, index } of statements) {
      if (!isAllow(statement)) continue;
      if (principalEntries(statement.Principal).some((p) => isUnknown(p.value))) {
        findings.push(unknownFinding(where(site, statement, index), this.name, `${where(site, statement, index)}: Principal`));
        continue;
      }
      const services = principalEntries(statement.Principal).filter((p) => p.kind === "Service" && !allowed.has(p.value));
      if (services.length === 0) continue;
      const location = where(site, statement, index);
      const pinned = pinnedBy(statement, CONFUSED_DEPUTY_KEYS);
      if (pinned === "yes") continue;
      if (pinned === "unknown") {
        findings.push(unknownFinding(location, this.name, `${location}: the source condition`));
        continue;
      }
      const names = services.map((s) => s.value).join(", ");
      const fix =
        site.synthesisedFrom === "lambdaPermission"
          ? "set sourceArn (the rule, topic or bucket that invokes the function) or sourceAccount on the Permission"
          : `add a condition ArnEquals "aws:SourceArn": "<the resource acting, e.g. the AMP workspace ARN>" and/or StringEquals "aws:SourceAccount": "<account id>"`;
      findings.push({
        location,
        message: `${location}: service principal ${names} is admitted without aws:SourceArn or aws:SourceAccount, so the service may act here on behalf of any AWS account (confused deputy). Fix: ${fix}.`,
      });
    }
    return findings;
  },
};
