/** Walks the statements of a resource's documents, turning unknown parts into inconclusive findings. */
import { PolicyStatement } from "../../components/iam/policy-document";
import { DocumentRole, DocumentSite, readDocuments } from "./documents";
import { Finding, ResourceRecord } from "./model";
import { isUnknown } from "./unknown";

export interface SiteStatement {
  site: DocumentSite;
  statement: PolicyStatement;
  index: number;
}

export interface Walked {
  statements: SiteStatement[];
  findings: Finding[];
}

export interface WalkOptions {
  /** Report unreadable documents as findings (one rule does, so they are not repeated by every rule). */
  reportInvalid?: boolean;
}

export function walkStatements(record: ResourceRecord, roles: DocumentRole[], policyName: string, options: WalkOptions = {}): Walked {
  const walked: Walked = { statements: [], findings: [] };
  for (const read of readDocuments(record)) {
    if (!roles.includes(read.site.role)) continue;
    const property = read.site.property;
    if (read.status === "unknown") {
      walked.findings.push(unknownFinding(property, policyName));
      continue;
    }
    if (read.status === "invalid") {
      if (options.reportInvalid) {
        walked.findings.push({
          location: property,
          message: `${property}: cannot read the IAM document (${read.error}). Fix: give a JSON policy document with Version "2012-10-17" and a Statement list.`,
        });
      }
      continue;
    }
    read.document.Statement.forEach((statement, index) => {
      if (isUnknown(statement)) {
        walked.findings.push(unknownFinding(`${property}, Statement[${index}]`, policyName));
        return;
      }
      if (statement === null || typeof statement !== "object") return;
      // Whether the statement allows or denies decides every rule: an unknown Effect is no pass.
      if (isUnknown(statement.Effect)) {
        walked.findings.push(unknownFinding(`${property}, Statement[${index}]`, policyName, `${property}, Statement[${index}]: Effect`));
        return;
      }
      walked.statements.push({ site: read.site, statement, index });
    });
  }
  return walked;
}

export function unknownFinding(location: string, policyName: string, what = location): Finding {
  return {
    location,
    message: `${what} is not known during preview, so ${policyName} cannot judge it yet; it is checked again when the value is known (on update).`,
    inconclusive: true,
  };
}
