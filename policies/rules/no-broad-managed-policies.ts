/** No attachment of AWS managed policies that grant far more than a workload needs. */
import { ROLE_TYPE } from "../analysis/documents";
import { CommonRuleOptions, Finding, ResourceRule, stringListProperty } from "../analysis/model";
import { strings } from "../analysis/statements";
import { isUnknown } from "../analysis/unknown";
import { unknownFinding } from "../analysis/walk";

export interface BroadManagedPoliciesOptions extends CommonRuleOptions {
  /** AWS managed policy names accepted anyway (reviewed exceptions). */
  allowedPolicies?: string[];
  /** More AWS managed policy names to refuse. */
  additionalBroadPolicies?: string[];
}

/** Named broad policies, beyond every `...FullAccess` one. */
const BROAD_POLICIES: Record<string, string> = {
  AdministratorAccess: "every action on every resource",
  PowerUserAccess: "every action except IAM and Organizations management",
  IAMFullAccess: "full control of IAM, which is a path to administrator",
  AmazonPrometheusRemoteWriteAccess: "aps:RemoteWrite on every AMP workspace of the account, so one account's collector could write into another's workspace on a hub",
  AmazonPrometheusFullAccess: "every AMP action on every workspace",
};

/** Where each attaching type keeps its policy ARNs. */
const ARN_PROPERTIES: Record<string, { property: string; list: boolean }> = {
  [ROLE_TYPE]: { property: "managedPolicyArns", list: true },
  "aws:iam/policyAttachment:PolicyAttachment": { property: "policyArn", list: false },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { property: "policyArn", list: false },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": { property: "policyArn", list: false },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { property: "policyArn", list: false },
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": { property: "policyArns", list: true },
};

const AWS_MANAGED_ARN = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

export function broadManagedPolicyReason(arn: string, options: BroadManagedPoliciesOptions = {}): string | undefined {
  const match = AWS_MANAGED_ARN.exec(arn);
  if (!match) return undefined;
  const name = match[1];
  if ((options.allowedPolicies ?? []).includes(name)) return undefined;
  if (BROAD_POLICIES[name]) return BROAD_POLICIES[name];
  if (/FullAccess(?:_v\d+)?$/i.test(name)) return "every action of its service on every resource";
  if ((options.additionalBroadPolicies ?? []).includes(name)) return "access this project has reviewed as too broad";
  return undefined;
}

export const noBroadManagedPolicies: ResourceRule<BroadManagedPoliciesOptions> = {
  name: "no-broad-managed-policies",
  description: "No attachment of broad AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess, *FullAccess, AmazonPrometheusRemoteWriteAccess).",
  enforcementLevel: "mandatory",
  configProperties: {
    allowedPolicies: stringListProperty("AWS managed policy names accepted anyway (reviewed exceptions)."),
    additionalBroadPolicies: stringListProperty("More AWS managed policy names to refuse."),
  },
  resourceTypes: new Set(Object.keys(ARN_PROPERTIES)),
  check(record, _context, options) {
    // Called only for the types of ARN_PROPERTIES (resourceTypes); an absent property holds no ARN (strings: []).
    const spec = ARN_PROPERTIES[record.type]!;
    const raw = record.inputs[spec.property];
    if (isUnknown(raw)) return [unknownFinding(spec.property, this.name)];
    const findings: Finding[] = [];
    strings(raw).forEach((arn, index) => {
      const location = spec.list ? `${spec.property}[${index}]` : spec.property;
      if (isUnknown(arn)) {
        findings.push(unknownFinding(location, this.name));
        return;
      }
      const reason = broadManagedPolicyReason(arn, options);
      if (reason === undefined) return;
      findings.push({
        location,
        message: `${location}: attaches AWS managed policy ${arn}, which grants ${reason}. Fix: attach a customer-managed or inline policy built from the named statement builders (e.g. allowRemoteWrite(workspaceArn)) that grants only what this role calls.`,
      });
    });
    return findings;
  },
};
