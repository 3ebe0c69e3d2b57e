/**
 * Jira Cloud: one issue per alert fingerprint. The open issue carrying the fingerprint
 * label is found with POST /rest/api/3/search/jql; a repeat or a resolution becomes a
 * comment on it, a new firing alert creates it. Issues are not transitioned: closing
 * one is a person's decision and workflows differ between projects.
 */
import { NormalisedAlert } from "../alert";
import { DeliveryContext, sendWithRetry } from "../http-delivery";
import { JiraCredentials } from "../secrets";
import { truncate } from "../text";
import { DestinationOutcome, deliverEachAlert, failed, safeHttpUrl } from "./destination";

export interface JiraProject {
  projectKey: string;
  issueType: string;
}

const SUMMARY_MAX = 255;
const DESCRIPTION_MAX = 10_000;
const PIPELINE_LABEL = "alertpipeline";

/** Jira labels cannot hold spaces; fingerprints are hex, so this is always a valid label. */
export function jiraFingerprintLabel(fingerprint: string): string {
  return `alert-${fingerprint}`;
}

function jqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function renderJiraSearch(fingerprint: string, project: JiraProject) {
  return {
    jql: `project = ${jqlString(project.projectKey)} AND labels = ${jqlString(jiraFingerprintLabel(fingerprint))} AND statusCategory != Done ORDER BY created DESC`,
    fields: ["summary", "status"],
    maxResults: 1,
  };
}

export function renderJiraIssue(alert: NormalisedAlert, project: JiraProject) {
  const title = alert.summary === alert.alertname ? alert.summary : `${alert.alertname}: ${alert.summary}`;
  return {
    fields: {
      project: { key: project.projectKey },
      issuetype: { name: project.issueType },
      summary: truncate(title.replace(/\s+/g, " ").trim(), SUMMARY_MAX),
      description: alertDocument(alert),
      labels: [jiraFingerprintLabel(alert.fingerprint), PIPELINE_LABEL],
    },
  };
}

export function renderJiraComment(alert: NormalisedAlert) {
  return { body: alertDocument(alert) };
}

type AdfNode = Record<string, unknown>;

/** The alert in Atlassian Document Format: headline, description, facts, links. */
export function alertDocument(alert: NormalisedAlert): AdfNode {
  const headline = `${alert.status === "firing" ? "FIRING" : "RESOLVED"}: ${alert.summary}`;
  const content: AdfNode[] = [paragraph([textNode(headline, [{ type: "strong" }])])];
  const description = truncate(alert.description, DESCRIPTION_MAX);
  if (description.trim()) content.push(paragraph(multiline(description)));
  const facts: Array<[string, string | undefined]> = [
    ["Alert", alert.alertname],
    ["Severity", alert.severity],
    ["Team", alert.team],
    ["Account", alert.account],
    ["Region", alert.region],
    ["Cluster", alert.cluster],
    ["Fingerprint", alert.fingerprint],
    ["Source", `${alert.source} via ${alert.via}`],
    ["Started", alert.startsAt],
    ["Resolved", alert.status === "resolved" ? alert.endsAt : undefined],
  ];
  content.push({
    type: "bulletList",
    content: facts
      .filter((fact): fact is [string, string] => Boolean(fact[1]))
      .map(([name, value]) => ({ type: "listItem", content: [paragraph([textNode(`${name}: `, [{ type: "strong" }]), textNode(truncate(value, 1000))])] })),
  });
  const links = [
    ["Runbook", safeHttpUrl(alert.runbook_url)],
    [alert.source === "cloudwatch" ? "Alarm in the console" : "Source", safeHttpUrl(alert.generatorURL)],
  ].filter((pair): pair is [string, string] => pair[1] !== undefined);
  if (links.length > 0) {
    const nodes: AdfNode[] = [];
    links.forEach(([label, href], index) => {
      if (index > 0) nodes.push(textNode(" · "));
      nodes.push(textNode(label, [{ type: "link", attrs: { href } }]));
    });
    content.push(paragraph(nodes));
  }
  return { type: "doc", version: 1, content };
}

function paragraph(content: AdfNode[]): AdfNode {
  return { type: "paragraph", content };
}

function textNode(text: string, marks?: AdfNode[]): AdfNode {
  return marks ? { type: "text", text, marks } : { type: "text", text };
}

/** ADF text nodes carry no newlines: lines are joined with hard breaks; empty lines are skipped (empty text nodes are invalid). */
function multiline(text: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (index > 0) nodes.push({ type: "hardBreak" });
    if (line) nodes.push(textNode(line));
  });
  return nodes;
}

export function deliverToJira(
  alerts: NormalisedAlert[],
  credentials: JiraCredentials,
  project: JiraProject,
  context: DeliveryContext,
): Promise<DestinationOutcome[]> {
  const headers = {
    authorization: `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString("base64")}`,
    "content-type": "application/json",
    accept: "application/json",
  };
  const post = (path: string, body: unknown) =>
    sendWithRetry({ method: "POST", url: `${credentials.baseUrl}${path}`, headers, body: JSON.stringify(body) }, context);

  return deliverEachAlert(alerts, async (alert) => {
    const search = await post("/rest/api/3/search/jql", renderJiraSearch(alert.fingerprint, project));
    if (!search.ok) return failed(`search: ${search.error}`, search.attempts);
    let issueKey: string | undefined;
    try {
      const key = (JSON.parse(search.response.body) as { issues?: Array<{ key?: unknown }> }).issues?.[0]?.key;
      issueKey = typeof key === "string" ? key : undefined;
    } catch {
      return failed("search: response is not JSON", search.attempts);
    }
    if (issueKey) {
      const comment = await post(`/rest/api/3/issue/${encodeURIComponent(issueKey)}/comment`, renderJiraComment(alert));
      const attempts = search.attempts + comment.attempts;
      return comment.ok ? { status: "delivered", action: "commented", attempts } : failed(`comment on ${issueKey}: ${comment.error}`, attempts);
    }
    if (alert.status === "resolved") return { status: "delivered", action: "no-open-issue", attempts: search.attempts };
    const created = await post("/rest/api/3/issue", renderJiraIssue(alert, project));
    const attempts = search.attempts + created.attempts;
    return created.ok ? { status: "delivered", action: "created", attempts } : failed(`create: ${created.error}`, attempts);
  });
}
