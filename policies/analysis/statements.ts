/** Reading statements: labels, action patterns, principals and conditions, with unknowns kept visible. */
import { asArray, PolicyStatement, Principal } from "../../components/iam/policy-document";
import { DocumentSite } from "./documents";
import { isUnknown } from "./unknown";
import { memo, remembered } from "./memo";

/** Names the statement the way a reviewer finds it: by Sid, else by its index in `Statement`. */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid.length > 0 ? `statement "${statement.Sid}"` : `Statement[${index}] (no Sid)`;
}

export function where(site: DocumentSite, statement: PolicyStatement, index: number): string {
  return `${site.property}, ${statementLabel(statement, index)}`;
}

export function isAllow(statement: PolicyStatement): boolean {
  return statement.Effect === "Allow";
}

/** Strings of a OneOrMany field; non-string entries are dropped, unknown ones kept as UNKNOWN. */
export function strings(value: unknown): string[] {
  if (isUnknown(value)) return [value as string];
  return asArray(value as string | string[] | undefined).filter((entry): entry is string => typeof entry === "string");
}

const patternCache = memo<string, RegExp>();

/** IAM action and ARN patterns are case-insensitive globs with `*` and `?`. */
export function globRegex(pattern: string): RegExp {
  return remembered(patternCache, pattern, () => {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${body}$`, "i");
  });
}

export function actionPatternMatches(pattern: string, action: string): boolean {
  return globRegex(pattern).test(action);
}

export function hasWildcard(value: string): boolean {
  return value.includes("*") || value.includes("?");
}

export function serviceOf(action: string): string {
  const colon = action.indexOf(":");
  return colon < 0 ? action.toLowerCase() : action.slice(0, colon).toLowerCase();
}

export type PrincipalKind = "*" | "AWS" | "Service" | "Federated" | "CanonicalUser";

export interface PrincipalEntry {
  kind: PrincipalKind;
  value: string;
}

export function principalEntries(principal: Principal | undefined): PrincipalEntry[] {
  if (principal === undefined) return [];
  if (isUnknown(principal)) return [{ kind: "AWS", value: principal as string }];
  if (principal === "*") return [{ kind: "*", value: "*" }];
  const entries: PrincipalEntry[] = [];
  for (const kind of ["AWS", "Service", "Federated", "CanonicalUser"] as const) {
    for (const value of strings(principal[kind])) entries.push({ kind, value });
  }
  return entries;
}

/** Account id of an AWS principal: a bare id or the account field of an IAM/STS ARN. */
export function accountOfPrincipal(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const match = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(value);
  return match ? match[1] : undefined;
}

/** A role's name from its name or ARN (an ARN's prefix and path dropped). */
export function roleName(value: string): string {
  return value.replace(/^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?/, "");
}

/** A role named exactly (no wildcard anywhere in the ARN). */
export function isExactRoleArn(value: string): boolean {
  return /^arn:[^:]+:iam::\d{12}:role\/.+$/.test(value) && !hasWildcard(value);
}

export interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

export function conditionEntries(statement: PolicyStatement): ConditionEntry[] {
  const block = statement.Condition;
  if (block === undefined || block === null || typeof block !== "object") return [];
  const entries: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (keys === null || typeof keys !== "object") continue;
    for (const [key, values] of Object.entries(keys)) entries.push({ operator, key, values: strings(values) });
  }
  return entries;
}

const NON_RESTRICTING_OPERATORS = /^(StringNot|ArnNot|NotIpAddress|NumericNotEquals|Null$|BinaryEquals$|Bool$)/i;

/**
 * Whether a condition entry narrows access to the listed values. Negated operators, `Null`,
 * `...IfExists` (true when the key is absent), `ForAllValues:` (true for an empty set) and
 * values that are only wildcards do not.
 */
export function restricts(entry: ConditionEntry): boolean {
  const operator = entry.operator;
  if (/^ForAllValues:/i.test(operator)) return false;
  const base = operator.replace(/^ForAnyValue:/i, "");
  if (/IfExists$/i.test(base)) return false;
  if (NON_RESTRICTING_OPERATORS.test(base)) return false;
  if (entry.values.length === 0) return false;
  return entry.values.every((value) => isUnknown(value) || value.replace(/[*?]/g, "") !== "");
}

export type Tri = "yes" | "no" | "unknown";

/**
 * Whether the statement pins one of `keys` (case-insensitive) with a restricting condition.
 * `valueOk` adds a per-value test (e.g. "no wildcard"); an unknown value gives "unknown".
 */
export function pinnedBy(statement: PolicyStatement, keys: string[], valueOk: (value: string) => boolean = () => true): Tri {
  const wanted = new Set(keys.map((key) => key.toLowerCase()));
  let sawUnknown = isUnknown(statement.Condition);
  for (const entry of conditionEntries(statement)) {
    if (!wanted.has(entry.key.toLowerCase())) continue;
    if (!restricts(entry)) continue;
    if (entry.values.some(isUnknown)) {
      sawUnknown = true;
      continue;
    }
    if (entry.values.every(valueOk)) return "yes";
  }
  return sawUnknown ? "unknown" : "no";
}
