/**
 * Loopback stand-ins for the notifier's destinations (Slack incoming webhook, PagerDuty
 * Events v2, Jira Cloud search/jql + issue + comment, a generic webhook) and for Secrets
 * Manager's GetSecretValue. They check requests the way the real services do (sizes,
 * required fields, auth), record everything, and can fail a fraction of calls on purpose.
 *
 * Faults are deterministic: whether a request fails depends only on the seed, the request
 * itself and how many times that same request was seen, never on arrival order, so a
 * concurrent run fails the same calls every time.
 */
import { createHash } from "crypto";
import { AddressInfo } from "net";
import { IncomingMessage, Server, ServerResponse, createServer } from "http";

export type SinkKind = "slack" | "pagerduty" | "jira" | "webhook";
export const SINK_KINDS: readonly SinkKind[] = ["slack", "pagerduty", "jira", "webhook"];

export type FaultMode = "5xx" | "429" | "timeout";

export interface FaultOptions {
  /** Fraction of calls that fail, 0..1. */
  rate: number;
  seed?: number;
  /** Failure kinds, picked per failing call; default all three. */
  modes?: FaultMode[];
  /** Retry-After sent with 429 (seconds). */
  retryAfterSeconds?: number;
  /** How long a "timeout" call is held before the sink gives up and answers 504. */
  holdMs?: number;
}

export interface SinkOptions {
  /** Faults for every sink. */
  faults?: FaultOptions;
  /** Faults for one sink, replacing `faults` for it. */
  faultsByKind?: Partial<Record<SinkKind, FaultOptions>>;
  /** When set, Jira requests must carry this basic auth or get 401. */
  jiraAuth?: { email: string; apiToken: string };
}

export type RequestOutcome = "accepted" | "rejected" | FaultMode;

export interface RecordedRequest {
  kind: SinkKind;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The parsed body, when it was JSON. */
  json: unknown;
  outcome: RequestOutcome;
  status?: number;
  /** Why a request was rejected (400/401/404). */
  rejection?: string;
  at: number;
}

export interface JiraIssueRecord {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  labels: string[];
  description: unknown;
  statusCategory: "To Do" | "Done";
  comments: unknown[];
}

export interface Sinks {
  urls: {
    /** Slack incoming webhook URL (its path plays the role of the token). */
    slack: string;
    /** PagerDuty Events v2 enqueue URL (the `eventsUrl` of a PagerDuty secret). */
    pagerduty: string;
    /** Jira Cloud base URL. */
    jira: string;
    webhook: string;
  };
  /** Every request, by sink, in arrival order. */
  received: Record<SinkKind, RecordedRequest[]>;
  /** Requests the sink accepted (2xx). */
  accepted(kind: SinkKind): RecordedRequest[];
  /** Issues the Jira sink holds; set `statusCategory` to "Done" to close one. */
  jiraIssues: JiraIssueRecord[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const SLACK_TOKEN_PATH = "/slack/services/T0000TEST/B0000TEST/xxxxxxxxxxxxxxxxxxxxxxxx";

export async function startSinks(options: SinkOptions = {}): Promise<Sinks> {
  const received: Record<SinkKind, RecordedRequest[]> = { slack: [], pagerduty: [], jira: [], webhook: [] };
  const jiraIssues: JiraIssueRecord[] = [];
  const seen = new Map<string, number>();
  const held = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => route(req, res, body))
      .catch(() => respond(res, 400, "text/plain", "unreadable body"));
  });

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = (req.url ?? "/").split("?")[0];
    const kind = kindOf(path);
    if (!kind) {
      respond(res, 404, "text/plain", "no such sink");
      return;
    }
    const record: RecordedRequest = {
      kind,
      method: req.method ?? "",
      path,
      headers: req.headers,
      body,
      json: parseJson(body),
      outcome: "accepted",
      at: Date.now(),
    };
    received[kind].push(record);

    const fault = decideFault(kind, record);
    if (fault) {
      record.outcome = fault.mode;
      if (fault.mode === "5xx") {
        record.status = 503;
        respond(res, 503, "text/plain", "service unavailable (injected)");
      } else if (fault.mode === "429") {
        record.status = 429;
        res.setHeader("retry-after", String(fault.options.retryAfterSeconds ?? 1));
        respond(res, 429, "application/json", JSON.stringify({ status: "throttled", message: "rate limited (injected)" }));
      } else {
        holdUntilClientGivesUp(res, fault.options.holdMs ?? 30_000);
      }
      return;
    }

    const answer = HANDLERS[kind](record);
    record.status = answer.status;
    if (answer.status >= 300) {
      record.outcome = "rejected";
      record.rejection = answer.body;
    }
    respond(res, answer.status, answer.contentType, answer.body);
  }

  function decideFault(kind: SinkKind, record: RecordedRequest): { mode: FaultMode; options: FaultOptions } | undefined {
    const faults = options.faultsByKind?.[kind] ?? options.faults;
    if (!faults || faults.rate <= 0) return undefined;
    const key = `${kind}\n${record.method} ${record.path}\n${record.body}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const digest = createHash("sha256").update(`${faults.seed ?? 1}\n${occurrence}\n${key}`).digest();
    if (digest.readUInt32BE(0) / 2 ** 32 >= faults.rate) return undefined;
    const modes = faults.modes ?? ["5xx", "429", "timeout"];
    return { mode: modes[digest.readUInt32BE(4) % modes.length], options: faults };
  }

  function holdUntilClientGivesUp(res: ServerResponse, holdMs: number): void {
    held.add(res);
    const timer = setTimeout(() => respond(res, 504, "text/plain", "held too long"), holdMs);
    res.on("close", () => {
      clearTimeout(timer);
      held.delete(res);
    });
  }

  const HANDLERS: Record<SinkKind, (record: RecordedRequest) => Answer> = {
    slack: slackAnswer,
    pagerduty: pagerDutyAnswer,
    webhook: (record) => (record.json === undefined ? text(400, "body is not JSON") : text(200, "ok")),
    jira: (record) => jiraAnswer(record, jiraIssues, options.jiraAuth),
  };

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urls: {
      slack: `${base}${SLACK_TOKEN_PATH}`,
      pagerduty: `${base}/pagerduty/v2/enqueue`,
      jira: `${base}/jira`,
      webhook: `${base}/webhook/alerts`,
    },
    received,
    accepted: (kind) => received[kind].filter((request) => request.outcome === "accepted"),
    jiraIssues,
    close: () => closeServer(server),
  };
}

function kindOf(path: string): SinkKind | undefined {
  if (path === SLACK_TOKEN_PATH) return "slack";
  if (path === "/pagerduty/v2/enqueue") return "pagerduty";
  if (path.startsWith("/jira/")) return "jira";
  if (path.startsWith("/webhook/")) return "webhook";
  return undefined;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function text(status: number, body: string): Answer {
  return { status, contentType: "text/plain", body };
}

function json(status: number, body: unknown): Answer {
  return { status, contentType: "application/json", body: JSON.stringify(body) };
}

/** Slack answers "ok", or 400 with a short error word, as the real webhook does. */
function slackAnswer(record: RecordedRequest): Answer {
  const message = record.json as { text?: unknown; blocks?: unknown } | undefined;
  if (!message || typeof message !== "object") return text(400, "invalid_payload");
  if (typeof message.text !== "string" && !Array.isArray(message.blocks)) return text(400, "no_text");
  if (Array.isArray(message.blocks)) {
    if (message.blocks.length > 50) return text(400, "invalid_blocks");
    for (const block of message.blocks as Array<Record<string, any>>) {
      if (block.type === "header" && (block.text?.type !== "plain_text" || String(block.text?.text).length > 150)) return text(400, "invalid_blocks");
      if (block.type === "section" && String(block.text?.text ?? "").length > 3000) return text(400, "invalid_blocks");
      if (block.type === "section" && Array.isArray(block.fields) && block.fields.length > 10) return text(400, "invalid_blocks");
    }
  }
  return text(200, "ok");
}

const PD_SEVERITIES = ["critical", "error", "warning", "info"];

/** PagerDuty Events v2: 202 with the dedup key, or 400 listing what is wrong. */
function pagerDutyAnswer(record: RecordedRequest): Answer {
  const event = record.json as Record<string, any> | undefined;
  const errors: string[] = [];
  if (!event || typeof event !== "object") errors.push("Event object is invalid");
  else {
    if (typeof event.routing_key !== "string" || event.routing_key === "") errors.push("'routing_key' is missing or blank");
    if (!["trigger", "acknowledge", "resolve"].includes(event.event_action)) errors.push("'event_action' is invalid");
    if (event.dedup_key !== undefined && (typeof event.dedup_key !== "string" || event.dedup_key.length > 255)) errors.push("'dedup_key' is invalid");
    if (event.event_action !== "trigger" && typeof event.dedup_key !== "string") errors.push("'dedup_key' is required to acknowledge or resolve");
    if (event.event_action === "trigger") {
      const payload = event.payload ?? {};
      if (typeof payload.summary !== "string" || payload.summary === "" || payload.summary.length > 1024) errors.push("'payload.summary' is invalid");
      if (typeof payload.source !== "string" || payload.source === "") errors.push("'payload.source' is missing or blank");
      if (!PD_SEVERITIES.includes(payload.severity)) errors.push("'payload.severity' is invalid");
    }
  }
  if (errors.length > 0) return json(400, { status: "invalid event", message: "Event object is invalid", errors });
  return json(202, { status: "success", message: "Event processed", dedup_key: event!.dedup_key });
}

function jiraAnswer(record: RecordedRequest, issues: JiraIssueRecord[], auth: SinkOptions["jiraAuth"]): Answer {
  if (auth) {
    const expected = `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString("base64")}`;
    if (record.headers.authorization !== expected) return json(401, { errorMessages: ["Client must be authenticated to access this resource."] });
  }
  const body = record.json as Record<string, any> | undefined;
  if (record.method !== "POST" || !body) return json(400, { errorMessages: ["POST with a JSON body expected"] });
  const path = record.path.slice("/jira".length);

  if (path === "/rest/api/3/search/jql") {
    if (typeof body.jql !== "string") return json(400, { errorMessages: ["jql is required"] });
    const label = /labels\s*=\s*"([^"]+)"/.exec(body.jql)?.[1];
    const project = /project\s*=\s*"([^"]+)"/.exec(body.jql)?.[1];
    const openOnly = /statusCategory\s*!=\s*Done/.test(body.jql);
    const matches = issues
      .filter((issue) => (!label || issue.labels.includes(label)) && (!project || issue.projectKey === project))
      .filter((issue) => !openOnly || issue.statusCategory !== "Done")
      .reverse() // newest first, as the notifier's ORDER BY created DESC asks
      .slice(0, typeof body.maxResults === "number" ? body.maxResults : 50);
    return json(200, {
      issues: matches.map((issue) => ({ id: issue.id, key: issue.key, fields: { summary: issue.summary, status: { statusCategory: { name: issue.statusCategory } } } })),
      isLast: true,
    });
  }

  if (path === "/rest/api/3/issue") {
    const fields = body.fields ?? {};
    const problems: Record<string, string> = {};
    if (typeof fields.project?.key !== "string") problems.project = "project is required";
    if (typeof fields.issuetype?.name !== "string") problems.issuetype = "issue type is required";
    if (typeof fields.summary !== "string" || fields.summary === "" || fields.summary.length > 255 || /[\r\n]/.test(fields.summary)) {
      problems.summary = "summary must be one line of at most 255 characters";
    }
    if (fields.description?.type !== "doc" || fields.description?.version !== 1) problems.description = "description must be an ADF document";
    if (fields.labels !== undefined && (!Array.isArray(fields.labels) || fields.labels.some((l: unknown) => typeof l !== "string" || /\s/.test(l as string)))) {
      problems.labels = "labels must be strings without spaces";
    }
    if (Object.keys(problems).length > 0) return json(400, { errorMessages: [], errors: problems });
    const id = String(10000 + issues.length);
    const key = `${fields.project.key}-${issues.length + 1}`;
    issues.push({ id, key, projectKey: fields.project.key, summary: fields.summary, labels: fields.labels ?? [], description: fields.description, statusCategory: "To Do", comments: [] });
    return json(201, { id, key, self: `/rest/api/3/issue/${id}` });
  }

  const comment = /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/.exec(path);
  if (comment) {
    const issue = issues.find((candidate) => candidate.key === decodeURIComponent(comment[1]));
    if (!issue) return json(404, { errorMessages: ["Issue does not exist or you do not have permission to see it."] });
    if (body.body?.type !== "doc") return json(400, { errorMessages: ["Comment body must be an ADF document"] });
    issue.comments.push(body.body);
    return json(201, { id: String(issue.comments.length) });
  }
  return json(404, { errorMessages: ["no such Jira resource"] });
}

export interface SecretsManagerStub {
  /** Endpoint for the SDK (`endpoint` option or AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  endpoint: string;
  /** SecretIds asked for, in order. */
  calls: string[];
  close(): Promise<void>;
}

/** Secrets Manager's GetSecretValue over its JSON 1.1 protocol, for the real SDK client. */
export async function startSecretsManagerStub(secrets: Record<string, string>): Promise<SecretsManagerStub> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const target = req.headers["x-amz-target"];
        const request = parseJson(body) as { SecretId?: string } | undefined;
        if (target !== "secretsmanager.GetSecretValue" || typeof request?.SecretId !== "string") {
          respond(res, 400, "application/x-amz-json-1.1", JSON.stringify({ __type: "InvalidRequestException", message: "only GetSecretValue is stubbed" }));
          return;
        }
        calls.push(request.SecretId);
        const value = secrets[request.SecretId];
        if (value === undefined) {
          respond(res, 400, "application/x-amz-json-1.1", JSON.stringify({ __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret." }));
          return;
        }
        respond(
          res,
          200,
          "application/x-amz-json-1.1",
          JSON.stringify({ ARN: request.SecretId, Name: request.SecretId.split(":").pop(), SecretString: value, VersionId: "v1", CreatedDate: 1700000000 }),
        );
      })
      .catch(() => respond(res, 400, "text/plain", "unreadable body"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => closeServer(server),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function respond(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
