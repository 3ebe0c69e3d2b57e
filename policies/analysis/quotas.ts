/**
 * Size quotas the real services enforce on policy documents and Lambda environments, and the
 * measuring of every such document in a set of resource records. Mocks and the offline plan
 * accept any size; AWS refuses the call. Pure data in, plain data out: the policy
 * `document-size-quota` judges the result, the bench reports the largest document against
 * its quota, and both read the same records (the pack's, or the offline plan's
 * `ResourceRecord[]` from stacks/plan/run-stack.ts).
 *
 * How each service counts, as its documentation says:
 * - IAM counts characters and does not count white space (so pretty-printing is free).
 * - EventBridge and VPC endpoint policies count characters, white space included.
 * - SNS, SQS, KMS and Lambda count bytes: a multi-byte UTF-8 character counts once per byte.
 * The text measured is the document as the program gives it (a JSON string as written, an
 * object as compact JSON): never less than what the provider sends, so the check errs on the
 * side of failing before AWS does.
 */
import { ROLE_TYPE } from "./documents";
import { ResourceRecord } from "./model";
import { roleName } from "./statements";
import { ENGINE_UNKNOWN_SENTINELS, isUnknown, UNKNOWN } from "./unknown";

export type QuotaKind =
  | "iam-role-trust-policy"
  | "iam-role-inline-policies"
  | "iam-managed-policy"
  | "sns-topic-policy"
  | "sqs-queue-policy"
  | "kms-key-policy"
  | "eventbridge-bus-policy"
  | "vpc-endpoint-policy"
  | "lambda-environment";

export type QuotaUnit = "non-whitespace characters" | "characters" | "bytes";

export interface QuotaSpec {
  /** What the document is, for messages: "IAM role trust policy". */
  label: string;
  /** Default quota. */
  limit: number;
  unit: QuotaUnit;
  /** AWS documentation page the limit and its counting come from. */
  source: string;
}

export const QUOTAS: Readonly<Record<QuotaKind, QuotaSpec>> = {
  // "IAM and AWS STS quotas" (IAM User Guide): "Role trust policy length", default 2,048
  // characters, adjustable up to 4,096. GetAccountSummary (IAM API Reference) calls it
  // AssumeRolePolicySizeQuota, "in non-whitespace characters".
  "iam-role-trust-policy": { label: "IAM role trust policy", limit: 2048, unit: "non-whitespace characters", source: "IAM and AWS STS quotas (IAM User Guide)" },
  // "IAM and AWS STS quotas": the sum of all inline policies of one role cannot exceed
  // 10,240 characters; "IAM does not count white space when calculating the size of a policy".
  "iam-role-inline-policies": { label: "inline policies of one IAM role together", limit: 10240, unit: "non-whitespace characters", source: "IAM and AWS STS quotas (IAM User Guide)" },
  // "IAM and AWS STS quotas": managed policy size 6,144 characters, white space not counted.
  "iam-managed-policy": { label: "IAM managed policy", limit: 6144, unit: "non-whitespace characters", source: "IAM and AWS STS quotas (IAM User Guide)" },
  // "Amazon SNS API permissions: Actions and resources reference", Policy quotas: Bytes 30 kb
  // (read as 30 × 1,024; the page also caps a policy at 100 statements and 200 principals).
  "sns-topic-policy": { label: "SNS topic policy", limit: 30720, unit: "bytes", source: "Amazon SNS API permissions: Actions and resources reference (Policy quotas)" },
  // "Amazon SQS policy quotas" (SQS Developer Guide): Bytes 8,192 (also 20 statements,
  // 50 principals, 10 conditions, 7 actions per statement).
  "sqs-queue-policy": { label: "SQS queue policy", limit: 8192, unit: "bytes", source: "Amazon SQS policy quotas (SQS Developer Guide)" },
  // "Creating a key policy" (KMS Developer Guide), Key policy format: up to 32 kilobytes
  // (32,768 bytes); PutKeyPolicy says the same.
  "kms-key-policy": { label: "KMS key policy", limit: 32768, unit: "bytes", source: "Creating a key policy (AWS KMS Developer Guide)" },
  // "Amazon EventBridge quotas": Event bus policy size 10,240, "maximum policy size, in
  // characters"; adjustable.
  "eventbridge-bus-policy": { label: "EventBridge event bus policy", limit: 10240, unit: "characters", source: "Amazon EventBridge quotas (EventBridge User Guide)" },
  // "AWS PrivateLink quotas": Characters per VPC endpoint policy 20,480, "including white
  // space"; not adjustable.
  "vpc-endpoint-policy": { label: "VPC endpoint policy", limit: 20480, unit: "characters", source: "AWS PrivateLink quotas (Amazon VPC PrivateLink Guide)" },
  // "Lambda quotas" (Lambda Developer Guide): "4 KB, for all environment variables associated
  // with the function, in aggregate"; the guide's KB is 1,024 bytes. Lambda measures the
  // variables as one JSON object (its error quotes the "String measured": {"KEY":"value",...}),
  // so names, values, quotes, colons and commas all count.
  "lambda-environment": { label: "Lambda environment variables together", limit: 4096, unit: "bytes", source: "Lambda quotas (AWS Lambda Developer Guide)" },
};

/** The trust-policy quota can be raised to this through Service Quotas. */
export const TRUST_POLICY_MAX_ADJUSTABLE = 4096;

/** Limits that differ from the defaults because the account raised an adjustable quota. */
export interface QuotaLimits {
  /** IAM "Role trust policy length": 2,048 by default, at most 4,096. */
  trustPolicyMaxCharacters?: number;
  /** EventBridge "Event bus policy size": 10,240 by default, adjustable. */
  eventBusPolicyMaxCharacters?: number;
}

/** Checks raised limits: a limit below the default or above what AWS grants is a config mistake. */
export function resolveQuotaLimits(limits: QuotaLimits = {}): Record<QuotaKind, number> {
  const resolved = Object.fromEntries(Object.entries(QUOTAS).map(([kind, spec]) => [kind, spec.limit])) as Record<QuotaKind, number>;
  const check = (key: keyof QuotaLimits, kind: QuotaKind, maximum: number | undefined): void => {
    const value = limits[key];
    if (value === undefined || value === null) return;
    const min = QUOTAS[kind].limit;
    if (!Number.isInteger(value) || value < min || value > (maximum ?? Infinity)) {
      throw new Error(
        `document-size-quota: ${key} must be an integer from ${min}${maximum !== undefined ? ` to ${maximum}` : " up"} ` +
          `(the quota AWS applies to this account), got ${JSON.stringify(value)}`,
      );
    }
    resolved[kind] = value;
  };
  check("trustPolicyMaxCharacters", "iam-role-trust-policy", TRUST_POLICY_MAX_ADJUSTABLE);
  check("eventBusPolicyMaxCharacters", "eventbridge-bus-policy", undefined);
  return resolved;
}

/** known: the whole document was measured. partial: parts are unknown, size is a lower bound. unknown: nothing is known yet. */
export type MeasureStatus = "known" | "partial" | "unknown";

export interface DocumentPart {
  resource: string;
  urn: string;
  type: string;
  property: string;
  size: number;
  status: MeasureStatus;
}

export interface MeasuredDocument {
  /** Logical name of the resource that carries the document (for a role's inline total: the role, if it is among the records). */
  resource: string;
  urn: string;
  type: string;
  /** Input property the document is in, e.g. `assumeRolePolicy`, `policy`, `environment.variables`. */
  property: string;
  kind: QuotaKind;
  /** Size in `unit`; a lower bound unless `status` is "known". */
  size: number;
  limit: number;
  unit: QuotaUnit;
  status: MeasureStatus;
  /**
   * Largest size the unknown parts can lead to, when they are bounded: a RolePolicy whose role
   * is not known yet adds at most to the largest role's total. Absent when unbounded.
   */
  upperBound?: number;
  /** Role name the inline total belongs to (iam-role-inline-policies only). */
  role?: string;
  /** The documents a role's inline total is made of (iam-role-inline-policies only). */
  parts?: DocumentPart[];
  source: string;
}

export interface MeasureOptions {
  limits?: QuotaLimits;
  /** Account a record deploys into; roles of the same name in two accounts are two roles. Defaults to the record's accountId. */
  accountOf?: (record: QuotaRecord) => string | null | undefined;
}

/** What measuring needs of a record: the rules' ResourceRecord and the offline plan's both fit. */
export type QuotaRecord = Pick<ResourceRecord, "urn" | "type" | "name" | "inputs"> & { accountId?: string | null };

/** The offline plan writes secrets as this marker (stacks/plan/run-stack.ts): their size is not known. */
const PLAN_SECRET_MARKER = "[secret]";
const MARKERS = [UNKNOWN, PLAN_SECRET_MARKER, ...ENGINE_UNKNOWN_SENTINELS];

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** Types that keep one document in one property, and the quota it falls under. */
const SINGLE_DOCUMENT: Record<string, { property: string; kind: QuotaKind }> = {
  "aws:iam/policy:Policy": { property: "policy", kind: "iam-managed-policy" },
  "aws:sns/topicPolicy:TopicPolicy": { property: "policy", kind: "sns-topic-policy" },
  "aws:sns/topic:Topic": { property: "policy", kind: "sns-topic-policy" },
  "aws:sqs/queuePolicy:QueuePolicy": { property: "policy", kind: "sqs-queue-policy" },
  "aws:sqs/queue:Queue": { property: "policy", kind: "sqs-queue-policy" },
  "aws:kms/key:Key": { property: "policy", kind: "kms-key-policy" },
  "aws:kms/keyPolicy:KeyPolicy": { property: "policy", kind: "kms-key-policy" },
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": { property: "policy", kind: "eventbridge-bus-policy" },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { property: "policy", kind: "vpc-endpoint-policy" },
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": { property: "policy", kind: "vpc-endpoint-policy" },
};

/** Every type whose inputs this module measures. */
export const QUOTA_TYPES: ReadonlySet<string> = new Set([...Object.keys(SINGLE_DOCUMENT), ROLE_TYPE, ROLE_POLICY, LAMBDA_FUNCTION]);

/** Size of a text in a unit: code points, code points that are not white space, or UTF-8 bytes. */
export function measureText(text: string, unit: QuotaUnit): number {
  if (unit === "bytes") return Buffer.byteLength(text, "utf8");
  let count = 0;
  for (const char of text) {
    // IAM documents may only hold tab, LF, CR and U+0020-U+00FF, so these are its white space.
    if (unit === "non-whitespace characters" && (char === " " || char === "\t" || char === "\n" || char === "\r")) continue;
    count++;
  }
  return count;
}

interface Measured {
  size: number;
  status: MeasureStatus;
}

/** Measures a document given as a JSON string or an object; unknown parts are left out of the count. */
function measureValue(value: unknown, unit: QuotaUnit): Measured | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (isUnknown(value)) return { size: 0, status: "unknown" };
  const text = typeof value === "string" ? value : JSON.stringify(value);
  let known = text;
  for (const marker of MARKERS) known = known.split(marker).join("");
  return { size: measureText(known, unit), status: known === text ? "known" : "partial" };
}

function combine(statuses: MeasureStatus[]): MeasureStatus {
  return statuses.every((s) => s === "known") ? "known" : statuses.every((s) => s === "unknown") ? "unknown" : "partial";
}

function entry(record: QuotaRecord, property: string, kind: QuotaKind, measured: Measured, limits: Record<QuotaKind, number>): MeasuredDocument {
  const spec = QUOTAS[kind];
  return { resource: record.name, urn: record.urn, type: record.type, property, kind, size: measured.size, limit: limits[kind], unit: spec.unit, status: measured.status, source: spec.source };
}

/** Role name without an ARN's prefix and path; IAM role names are case-insensitive. */
function roleNameKey(name: string): string {
  return roleName(name).toLowerCase();
}

/** How a part of a role's inline total is named: the role's own inlinePolicies[i].policy, or the RolePolicy's name. */
export function partLabel(part: Pick<DocumentPart, "type" | "property" | "resource">): string {
  return part.type === ROLE_TYPE ? part.property : `${part.resource}.policy`;
}

interface RoleGroup {
  name: string;
  role?: QuotaRecord;
  parts: DocumentPart[];
  /** The role's inline policy list itself is unknown: the total has no upper bound. */
  unboundedPart: boolean;
}

/**
 * Every document of the records with its size and its quota. A role's inline policies
 * (its `inlinePolicies` and every RolePolicy naming it) are one entry, since IAM limits
 * their sum.
 */
export function measureDocuments(records: readonly QuotaRecord[], options: MeasureOptions = {}): MeasuredDocument[] {
  const limits = resolveQuotaLimits(options.limits);
  const accountOf = options.accountOf ?? ((record: QuotaRecord) => record.accountId);
  const documents: MeasuredDocument[] = [];
  const groups = new Map<string, RoleGroup>();
  const unattributed: Array<{ record: QuotaRecord; part: DocumentPart }> = [];
  const inlineUnit = QUOTAS["iam-role-inline-policies"].unit;

  const group = (key: string, name: string): RoleGroup => {
    let found = groups.get(key);
    if (!found) groups.set(key, (found = { name, parts: [], unboundedPart: false }));
    return found;
  };
  const part = (record: QuotaRecord, property: string, measured: Measured): DocumentPart => ({
    resource: record.name, urn: record.urn, type: record.type, property, size: measured.size, status: measured.status,
  });

  for (const record of records) {
    const inputs = record.inputs ?? {};
    const single = SINGLE_DOCUMENT[record.type];
    if (single) {
      const measured = measureValue(inputs[single.property], QUOTAS[single.kind].unit);
      if (measured) documents.push(entry(record, single.property, single.kind, measured, limits));
      continue;
    }
    if (record.type === LAMBDA_FUNCTION) {
      const environment = inputs.environment;
      const variables = isUnknown(environment) ? environment : (environment as { variables?: unknown } | null | undefined)?.variables;
      if (variables !== null && typeof variables === "object" && Object.keys(variables).length === 0) continue;
      const measured = measureValue(variables, QUOTAS["lambda-environment"].unit);
      if (measured) documents.push(entry(record, "environment.variables", "lambda-environment", measured, limits));
      continue;
    }
    const account = accountOf(record) ?? "";
    if (record.type === ROLE_TYPE) {
      const trust = measureValue(inputs.assumeRolePolicy, QUOTAS["iam-role-trust-policy"].unit);
      if (trust) documents.push(entry(record, "assumeRolePolicy", "iam-role-trust-policy", trust, limits));
      // Autonamed roles: the engine's checked inputs carry the name; the offline plan names them by their logical name.
      const name = inputs.name === undefined || inputs.name === null ? record.name : inputs.name;
      const known = typeof name === "string" && !isUnknown(name);
      const roleGroup = group(known ? `${account}|${roleNameKey(name)}` : `urn|${record.urn}`, known ? name : record.name);
      roleGroup.role = record;
      const inline = inputs.inlinePolicies;
      if (isUnknown(inline)) {
        roleGroup.parts.push(part(record, "inlinePolicies", { size: 0, status: "unknown" }));
        roleGroup.unboundedPart = true;
      } else if (Array.isArray(inline)) {
        inline.forEach((item, index) => {
          const property = `inlinePolicies[${index}].policy`;
          const measured = isUnknown(item) ? { size: 0, status: "unknown" as const } : measureValue((item as { policy?: unknown } | null)?.policy, inlineUnit);
          if (!measured) return;
          roleGroup.parts.push(part(record, property, measured));
          if (measured.status !== "known") roleGroup.unboundedPart = true;
        });
      }
      continue;
    }
    if (record.type === ROLE_POLICY) {
      const measured = measureValue(inputs.policy, inlineUnit);
      if (!measured) continue;
      const documentPart = part(record, "policy", measured);
      const role = inputs.role;
      if (typeof role === "string" && !isUnknown(role) && role !== "") {
        const roleGroup = group(`${account}|${roleNameKey(role)}`, roleName(role));
        roleGroup.parts.push(documentPart);
        if (measured.status !== "known") roleGroup.unboundedPart = true;
      } else {
        unattributed.push({ record, part: documentPart });
      }
    }
  }

  const inlineSpec = QUOTAS["iam-role-inline-policies"];
  const limit = limits["iam-role-inline-policies"];
  let largestGroup = 0;
  for (const roleGroup of groups.values()) {
    if (roleGroup.parts.length === 0) continue;
    const size = roleGroup.parts.reduce((n, p) => n + p.size, 0);
    largestGroup = Math.max(largestGroup, size);
    // The finding goes to the role when it is among the records, else to its largest RolePolicy.
    const largestPart = [...roleGroup.parts].sort((a, b) => b.size - a.size)[0];
    const status = combine(roleGroup.parts.map((p) => p.status));
    documents.push({
      resource: roleGroup.role?.name ?? largestPart.resource,
      urn: roleGroup.role?.urn ?? largestPart.urn,
      type: roleGroup.role?.type ?? largestPart.type,
      property: `inline policies of role "${roleGroup.name}" (${roleGroup.parts.map(partLabel).join(", ")})`,
      kind: "iam-role-inline-policies",
      size,
      limit,
      unit: inlineSpec.unit,
      status,
      ...(status !== "known" && !roleGroup.unboundedPart ? { upperBound: size } : {}),
      role: roleGroup.name,
      parts: roleGroup.parts,
      source: inlineSpec.source,
    });
  }
  // A RolePolicy whose role is not known yet joins some role: at worst the largest one, together
  // with every other such policy. When even that stays within the quota, nothing can go over.
  const unattributedTotal = unattributed.reduce((n, u) => n + u.part.size, 0);
  const unattributedBounded = unattributed.every((u) => u.part.status === "known");
  for (const { record, part: documentPart } of unattributed) {
    documents.push({
      ...entry(record, "policy (its role is not known yet)", "iam-role-inline-policies", { size: documentPart.size, status: documentPart.status === "known" ? "partial" : documentPart.status }, limits),
      ...(unattributedBounded ? { upperBound: unattributedTotal + largestGroup } : {}),
      parts: [documentPart],
    });
  }
  return documents;
}

/** How full a document is: size over limit (1 = exactly at the quota). */
export function quotaUse(document: Pick<MeasuredDocument, "size" | "limit">): number {
  return document.size / document.limit;
}

/** The document closest to (or furthest over) its quota, for reports such as the bench's. */
export function largestAgainstQuota(documents: readonly MeasuredDocument[]): MeasuredDocument | undefined {
  return documents.reduce<MeasuredDocument | undefined>((best, d) => (best === undefined || quotaUse(d) > quotaUse(best) ? d : best), undefined);
}
