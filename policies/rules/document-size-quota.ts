/**
 * Stack-wide: every policy document (and Lambda environment) fits the quota its service
 * enforces, so a plan or preview fails before AWS refuses the call. A stack rule because IAM
 * limits the sum of one role's inline policies, which RolePolicy resources spread over the
 * stack. Limits, how each service counts and the measuring live in analysis/quotas.ts.
 */
import { CommonRuleOptions, ConfigProperty, isExempt, ResourceRecord, StackFinding, StackRule } from "../analysis/model";
import { MeasuredDocument, measureDocuments, partLabel, QUOTAS, QuotaKind, QuotaLimits, TRUST_POLICY_MAX_ADJUSTABLE } from "../analysis/quotas";

export interface DocumentSizeQuotaOptions extends CommonRuleOptions, QuotaLimits {}

const POLICY_NAME = "document-size-quota";

const number = (n: number): string => n.toLocaleString("en-US");

const SCOPE = "scope by tag, organisation or naming convention with conditions (aws:PrincipalOrgID, aws:ResourceTag/<key>, ARN patterns such as arn:aws:iam::*:role/amp-collector-*) instead of listing each account or resource";

/** What to do about an oversized document: the general advice, and what splitting means for this kind. */
const FIX: Record<QuotaKind, string> = {
  "iam-role-trust-policy": `${SCOPE}; or raise the IAM quota "Role trust policy length" (up to ${number(TRUST_POLICY_MAX_ADJUSTABLE)}) and set this policy's trustPolicyMaxCharacters to match`,
  "iam-role-inline-policies": `${SCOPE}; or split into several customer managed policies attached to the role (each has its own 6,144-character quota), since more inline policies only add to the same total`,
  "iam-managed-policy": `${SCOPE}; or split into several managed policies`,
  "sns-topic-policy": `${SCOPE}; or split the publishers over several topics`,
  "sqs-queue-policy": `${SCOPE}; or split the senders over several queues`,
  "kms-key-policy": `${SCOPE}; or grant the per-account access through IAM policies or grants instead of the key policy`,
  "eventbridge-bus-policy": `${SCOPE}; or split the senders over several buses (or raise the adjustable quota and set eventBusPolicyMaxCharacters)`,
  "vpc-endpoint-policy": `${SCOPE}; or split the traffic over several endpoints`,
  "lambda-environment": "keep large values out of environment variables (a Parameter Store parameter, a secret, or a file in the deployment package) and pass only their names",
};

const integerProperty = (description: string, minimum: number, maximum?: number): ConfigProperty => ({
  type: "integer",
  minimum,
  ...(maximum !== undefined ? { maximum } : {}),
  description,
});

function describe(document: MeasuredDocument): string {
  return `${document.type.split(":").pop()} "${document.resource}" ${document.property}`;
}

/** Totals (a role's inline policies, a function's variables) "come to" a size; single documents "are". */
function verb(document: MeasuredDocument): string {
  const total = document.kind === "iam-role-inline-policies" || document.kind === "lambda-environment" ? "come to" : "is";
  return document.status === "known" ? total : `${total} at least`;
}

function overMessage(document: MeasuredDocument): string {
  const spec = QUOTAS[document.kind];
  const measured = verb(document);
  const parts = document.parts && document.parts.length > 1
    ? ` (${document.parts.map((p) => `${partLabel(p)} ${number(p.size)}`).join(" + ")})`
    : "";
  return (
    `${describe(document)}: the ${spec.label} ${measured} ${number(document.size)} ${document.unit}${parts}, ` +
    `over the limit of ${number(document.limit)} ${document.unit} (${spec.source}); AWS refuses it. Fix: ${FIX[document.kind]}.`
  );
}

function inconclusiveMessage(document: MeasuredDocument): string {
  const spec = QUOTAS[document.kind];
  if (document.kind === "iam-role-inline-policies" && document.role === undefined) {
    return (
      `${describe(document)}: the role is not known during preview, so ${POLICY_NAME} cannot add this policy's ${number(document.size)} ${document.unit} ` +
      `to that role's other inline policies${document.upperBound !== undefined ? ` (up to ${number(document.upperBound)} together)` : ""} and check the total against the limit of ${number(document.limit)} yet; ` +
      `it is checked again when the value is known (on update).`
    );
  }
  return (
    `${describe(document)}: its size is not known during preview (${number(document.size)} ${document.unit} known so far), ` +
    `so ${POLICY_NAME} cannot check it against the ${spec.label} limit of ${number(document.limit)} ${document.unit} yet; ` +
    `it is checked again when the value is known (on update).`
  );
}

/** Over the quota (even counting only the known part), not decidable yet, or within it. */
export function judge(document: MeasuredDocument): "over" | "inconclusive" | "within" {
  if (document.size > document.limit) return "over";
  if (document.status === "known") return "within";
  return (document.upperBound ?? Infinity) <= document.limit ? "within" : "inconclusive";
}

export const documentSizeQuota: StackRule<DocumentSizeQuotaOptions> = {
  name: POLICY_NAME,
  description:
    "Policy documents fit their service quota: IAM trust 2,048 chars (configurable to 4,096), a role's inline policies together 10,240, managed 6,144 " +
    "(IAM counts no white space); SNS 30 KB; SQS 8 KB; KMS 32 KB; EventBridge bus 10,240 chars; VPC endpoint 20,480 chars; Lambda environment 4 KB.",
  enforcementLevel: "mandatory",
  configProperties: {
    trustPolicyMaxCharacters: integerProperty(
      `The account's IAM "Role trust policy length" quota, if raised (default 2,048, at most ${number(TRUST_POLICY_MAX_ADJUSTABLE)}).`,
      QUOTAS["iam-role-trust-policy"].limit,
      TRUST_POLICY_MAX_ADJUSTABLE,
    ),
    eventBusPolicyMaxCharacters: integerProperty(
      `The account's EventBridge "Event bus policy size" quota, if raised (default ${number(QUOTAS["eventbridge-bus-policy"].limit)}).`,
      QUOTAS["eventbridge-bus-policy"].limit,
    ),
  },
  checkStack(records, contextOf, options) {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const documents = measureDocuments(records, {
      limits: { trustPolicyMaxCharacters: options.trustPolicyMaxCharacters, eventBusPolicyMaxCharacters: options.eventBusPolicyMaxCharacters },
      accountOf: (record) => contextOf(record as ResourceRecord).accountId,
    });
    const findings: StackFinding[] = [];
    for (const document of documents) {
      const holder = byUrn.get(document.urn);
      if (holder && isExempt(options, holder)) continue;
      const verdict = judge(document);
      if (verdict === "within") continue;
      findings.push({
        urn: document.urn,
        location: document.property,
        message: verdict === "over" ? overMessage(document) : inconclusiveMessage(document),
        ...(verdict === "inconclusive" ? { inconclusive: true } : {}),
      });
    }
    return findings;
  },
};
