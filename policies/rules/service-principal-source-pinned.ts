/**
 * Confused-deputy protection: a resource policy (SNS topic, SQS queue, KMS key, EventBridge
 * bus, Lambda permission) that admits an AWS service principal says on whose behalf, with
 * aws:SourceArn or aws:SourceAccount; otherwise the service may act for any customer.
 * CloudWatch Logs is pinned another way: in a key policy, by the log group ARN it sends as
 * encryption context, which must name log groups of one account.
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

/**
 * Services AWS pins by a key of their own instead: CloudWatch Logs uses a key for the log group
 * named in `kms:EncryptionContext:aws:logs:arn` (CloudWatch Logs user guide, "Encrypt log data
 * in CloudWatch Logs using AWS KMS"). Each value must name a log group ARN with a concrete
 * account, so the key serves that account's log groups only.
 */
const SERVICE_OWN_PINS: Array<{ service: RegExp; key: string; valueOk: (value: string) => boolean; example: string }> = [
  {
    service: /^logs(\.[a-z0-9-]+)?\.amazonaws\.com$/,
    key: "kms:EncryptionContext:aws:logs:arn",
    valueOk: (value) => /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:./.test(value),
    example: "arn:aws:logs:<region>:<account id>:log-group:<name>",
  },
];

const ownPinOf = (service: string) => SERVICE_OWN_PINS.find((pin) => pin.service.test(service));

/** The fix for services that all have their own pin, naming it. */
function ownFix(services: string[]): string | undefined {
  const pins = services.map(ownPinOf);
  if (!pins.every((pin) => pin !== undefined)) return undefined;
  return [...new Set(pins.map((pin) => `add a condition ArnEquals "${pin!.key}": "<${pin!.example}>"`))].join(" and ");
}

/** Whether a service principal's own pin (if it has one) restricts the statement. */
function pinnedByOwnKey(statement: Parameters<typeof pinnedBy>[0], service: string): "yes" | "no" | "unknown" {
  const own = ownPinOf(service);
  return own ? pinnedBy(statement, [own.key], own.valueOk) : "no";
}

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
      // Per service: pinned by a source key, by its own key, or not; unknown only when it could go either way.
      const states = services.map((s) => {
        const own = pinnedByOwnKey(statement, s.value);
        return own === "yes" ? "yes" : pinned === "unknown" || own === "unknown" ? "unknown" : "no";
      });
      // A service definitely unpinned is a finding, whatever another service's unknown value turns out to be.
      const unpinned = services.filter((_, i) => states[i] === "no");
      if (unpinned.length === 0) {
        if (states.includes("unknown")) findings.push(unknownFinding(location, this.name, `${location}: the source condition`));
        continue;
      }
      const names = unpinned.map((s) => s.value).join(", ");
      const fix =
        site.synthesisedFrom === "lambdaPermission"
          ? "set sourceArn (the rule, topic or bucket that invokes the function) or sourceAccount on the Permission"
          : ownFix(unpinned.map((s) => s.value)) ??
            `add a condition ArnEquals "aws:SourceArn": "<the resource acting, e.g. the AMP workspace ARN>" and/or StringEquals "aws:SourceAccount": "<account id>"`;
      findings.push({
        location,
        message: `${location}: service principal ${names} is admitted without aws:SourceArn or aws:SourceAccount, so the service may act here on behalf of any AWS account (confused deputy). Fix: ${fix}.`,
      });
    }
    return findings;
  },
};
