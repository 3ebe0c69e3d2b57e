/**
 * The IAM policy language as plain data. Components build documents from the named
 * statement builders in `statements.ts`; policies parse whatever arrives with `parsePolicyDocument`.
 */

export type OneOrMany<T> = T | T[];

export type ConditionBlock = Record<string, Record<string, OneOrMany<string>>>;

export type Principal =
  | "*"
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    };

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Principal?: Principal;
  NotPrincipal?: Principal;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  if (statements.length === 0) {
    throw new Error("An IAM policy document needs at least one statement");
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The statements of `doc` dealt into `parts` documents of about equal size, in order within
 * each (largest statement first to the lightest part): for a document that fits IAM only as
 * several policies. Deterministic, so the same statements always land in the same part.
 */
export function splitPolicyDocument(doc: PolicyDocument, parts: number): PolicyDocument[] {
  if (!Number.isInteger(parts) || parts < 1 || parts > doc.Statement.length) {
    throw new Error(`cannot split ${doc.Statement.length} statements into ${parts} policies`);
  }
  const size = (statement: PolicyStatement) => JSON.stringify(statement).length;
  const bins = Array.from({ length: parts }, () => ({ size: 0, indexes: [] as number[] }));
  const bySize = doc.Statement.map((statement, index) => ({ index, size: size(statement) })).sort((a, b) => b.size - a.size); // stable: equal sizes keep document order
  for (const { index, size: statementSize } of bySize) {
    const lightest = bins.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.size += statementSize;
    lightest.indexes.push(index);
  }
  return bins.map((bin) => policyDocument(...bin.indexes.sort((a, b) => a - b).map((i) => doc.Statement[i])));
}

/** Stable JSON for a document: what is deployed and what the tests read. */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

export function asArray<T>(value: OneOrMany<T> | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Accepts a document the way AWS resources carry it: a JSON string or an object.
 * Single statements (an object instead of a list) are normalised to a list.
 */
export function parsePolicyDocument(raw: unknown): PolicyDocument {
  const value = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (value === null || typeof value !== "object") {
    throw new Error("IAM policy document is neither a JSON string nor an object");
  }
  const statements = (value as { Statement?: unknown }).Statement;
  if (statements === undefined) {
    throw new Error("IAM policy document has no Statement");
  }
  return {
    ...(value as PolicyDocument),
    Statement: (Array.isArray(statements) ? statements : [statements]) as PolicyStatement[],
  };
}
