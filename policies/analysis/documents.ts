/**
 * Finds the IAM documents a resource carries, wherever its type keeps them, and reads each
 * one (JSON string or object) into the document model of components/iam.
 */
import { ConditionBlock, parsePolicyDocument, PolicyDocument, PolicyStatement } from "../../components/iam/policy-document";
import { ResourceRecord } from "./model";
import { ENGINE_UNKNOWN_SENTINELS, isUnknown, UNKNOWN } from "./unknown";
import { memo } from "./memo";

/** identity: grants to the principal it is attached to; trust: who may assume a role; resource: who may use a resource. */
export type DocumentRole = "identity" | "trust" | "resource";

export interface DocumentSite {
  role: DocumentRole;
  /** Input property the document came from, e.g. `inlinePolicies[1].policy`. */
  property: string;
  /** Set when the document was synthesised from a resource's fields rather than read from JSON. */
  synthesisedFrom?: "lambdaPermission";
}

export type ReadDocument =
  | { site: DocumentSite; status: "ok"; document: PolicyDocument }
  | { site: DocumentSite; status: "unknown" }
  | { site: DocumentSite; status: "invalid"; error: string };

const SINGLE_DOCUMENT_PROPERTY: Record<string, { role: DocumentRole; property: string }> = {
  "aws:iam/policy:Policy": { role: "identity", property: "policy" },
  "aws:iam/rolePolicy:RolePolicy": { role: "identity", property: "policy" },
  "aws:iam/userPolicy:UserPolicy": { role: "identity", property: "policy" },
  "aws:iam/groupPolicy:GroupPolicy": { role: "identity", property: "policy" },
  "aws:sns/topicPolicy:TopicPolicy": { role: "resource", property: "policy" },
  "aws:sns/topic:Topic": { role: "resource", property: "policy" },
  "aws:sqs/queuePolicy:QueuePolicy": { role: "resource", property: "policy" },
  "aws:sqs/queue:Queue": { role: "resource", property: "policy" },
  "aws:kms/key:Key": { role: "resource", property: "policy" },
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": { role: "resource", property: "policy" },
};

export const ROLE_TYPE = "aws:iam/role:Role";
export const LAMBDA_PERMISSION_TYPE = "aws:lambda/permission:Permission";

/** Every type that carries an IAM document. */
export const DOCUMENT_TYPES: ReadonlySet<string> = new Set([...Object.keys(SINGLE_DOCUMENT_PROPERTY), ROLE_TYPE, LAMBDA_PERMISSION_TYPE]);

export function readDocuments(record: ResourceRecord): ReadDocument[] {
  const inputs = record.inputs;
  const single = SINGLE_DOCUMENT_PROPERTY[record.type];
  if (single) {
    const raw = inputs[single.property];
    // Topics and queues without a policy (and empty ones) carry nothing to check.
    if (raw === undefined || raw === null || raw === "") return [];
    return [readOne({ role: single.role, property: single.property }, raw)];
  }
  if (record.type === ROLE_TYPE) return readRoleDocuments(inputs);
  if (record.type === LAMBDA_PERMISSION_TYPE) return [lambdaPermissionDocument(inputs)];
  return [];
}

function readRoleDocuments(inputs: Record<string, unknown>): ReadDocument[] {
  const read: ReadDocument[] = [readOne({ role: "trust", property: "assumeRolePolicy" }, inputs.assumeRolePolicy)];
  const inline = inputs.inlinePolicies;
  if (inline === undefined || inline === null) return read;
  if (isUnknown(inline)) return [...read, { site: { role: "identity", property: "inlinePolicies" }, status: "unknown" }];
  if (!Array.isArray(inline)) {
    return [...read, { site: { role: "identity", property: "inlinePolicies" }, status: "invalid", error: "inlinePolicies is not a list" }];
  }
  inline.forEach((entry, index) => {
    const property = `inlinePolicies[${index}].policy`;
    if (isUnknown(entry)) {
      read.push({ site: { role: "identity", property }, status: "unknown" });
      return;
    }
    const policy = (entry as { policy?: unknown } | null)?.policy;
    // An entry without a policy is how a role declares "no inline policies".
    if (policy === undefined || policy === null || policy === "") return;
    read.push(readOne({ role: "identity", property }, policy));
  });
  return read;
}

/**
 * Every policy reads the same documents; a JSON string is parsed once and the result shared
 * (rules only read documents). Bounded, so a long-running analyzer does not grow without end.
 */
const parsedText = memo<string, PolicyDocument>();
const PARSED_TEXT_LIMIT = 2000;

function parseText(raw: string): PolicyDocument {
  let document = parsedText.get(raw);
  if (!document) {
    document = parsePolicyDocument(raw);
    if (parsedText.size >= PARSED_TEXT_LIMIT) parsedText.clear();
    parsedText.set(raw, document);
  }
  return document;
}

function readOne(site: DocumentSite, raw: unknown): ReadDocument {
  if (raw === undefined || raw === null) return { site, status: "invalid", error: `${site.property} is missing` };
  // An unknown value ("<unknown>" or an engine sentinel) is no JSON: it is caught below as text holding an unknown.
  try {
    return { site, status: "ok", document: typeof raw === "string" ? parseText(raw) : parsePolicyDocument(raw) };
  } catch (error) {
    // A JSON string built under preview may embed an unknown value where JSON was expected.
    if (typeof raw === "string" && containsUnknownText(raw)) return { site, status: "unknown" };
    return { site, status: "invalid", error: (error as Error).message };
  }
}

function containsUnknownText(text: string): boolean {
  return text.includes(UNKNOWN) || [...ENGINE_UNKNOWN_SENTINELS].some((sentinel) => text.includes(sentinel));
}

/**
 * A Lambda permission is one statement of the function's resource policy, spelled as fields.
 * Turning it into that statement lets the same rules judge it; messages name the fields.
 */
export function lambdaPermissionDocument(inputs: Record<string, unknown>): ReadDocument {
  const site: DocumentSite = { role: "resource", property: "principal", synthesisedFrom: "lambdaPermission" };
  const { principal, action, sourceArn, sourceAccount, principalOrgId, statementId } = inputs;
  if (isUnknown(principal) || isUnknown(action)) return { site, status: "unknown" };
  if (typeof principal !== "string" || typeof action !== "string") {
    return { site, status: "invalid", error: "a Lambda permission needs principal and action strings" };
  }
  const condition: ConditionBlock = {};
  const add = (operator: string, key: string, value: unknown): void => {
    if (value === undefined || value === null || value === "") return;
    condition[operator] = { ...(condition[operator] ?? {}), [key]: String(value) };
  };
  add("ArnLike", "aws:SourceArn", sourceArn);
  add("StringEquals", "aws:SourceAccount", sourceAccount);
  add("StringEquals", "aws:PrincipalOrgID", principalOrgId);
  const statement: PolicyStatement = {
    Sid: typeof statementId === "string" && !isUnknown(statementId) ? statementId : undefined,
    Effect: "Allow",
    Action: action,
    Resource: "<this function>",
    Principal: principal === "*" ? "*" : principal.includes(".") ? { Service: principal } : { AWS: principal },
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
  if (statement.Sid === undefined) delete statement.Sid;
  return { site, status: "ok", document: { Version: "2012-10-17", Statement: [statement] } };
}
