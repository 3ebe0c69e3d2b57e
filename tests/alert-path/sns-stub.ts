/**
 * A loopback stand-in for Amazon SNS's Publish, for Alertmanager's `sns_configs`
 * (aws-sdk-go, query protocol): it verifies the SigV4 signature against the test
 * credentials, refuses what SNS refuses (subject rules, message size), answers a
 * PublishResponse, and hands each accepted message on as the SNS event Lambda would get.
 */
import { createHash, createHmac, randomUUID } from "crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "http";
import { AddressInfo } from "net";

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SnsPublish {
  topicArn: string;
  subject?: string;
  message: string;
  messageAttributes: Record<string, { DataType: string; StringValue: string }>;
  messageId: string;
  /** When the stub received it (ms since epoch). */
  receivedAt: number;
  region: string;
}

export interface SnsRejection {
  code: string;
  reason: string;
  body: string;
}

export interface SnsStub {
  /** Alertmanager's `sns_configs[].api_url`. */
  url: string;
  published: SnsPublish[];
  rejected: SnsRejection[];
  /** Errors thrown by `onPublish` (the test should see none). */
  handlerErrors: unknown[];
  /** Resolves when every `onPublish` call started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface SnsStubOptions {
  credentials: TestCredentials;
  /** Called after the Publish is answered, as SNS invokes subscribers asynchronously. */
  onPublish?: (publish: SnsPublish) => Promise<void> | void;
}

const MAX_MESSAGE_BYTES = 256 * 1024;
const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/** SNS's Lambda event for one message (the shape Lambda passes to a subscribed function). */
export function snsLambdaEvent(publish: SnsPublish): unknown {
  const attributes = Object.fromEntries(
    Object.entries(publish.messageAttributes).map(([name, value]) => [name, { Type: value.DataType, Value: value.StringValue }]),
  );
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${publish.topicArn}:2f1c7d3e-0d9b-4a4e-8d6e-1f2a3b4c5d6e`,
        Sns: {
          Type: "Notification",
          MessageId: publish.messageId,
          TopicArn: publish.topicArn,
          Subject: publish.subject ?? null,
          Message: publish.message,
          Timestamp: new Date(publish.receivedAt).toISOString(),
          SignatureVersion: "1",
          Signature: "",
          SigningCertUrl: "",
          UnsubscribeUrl: "",
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** Checks an `AWS4-HMAC-SHA256` Authorization header; returns the signing region or a reason. */
export function verifySigV4(req: IncomingMessage, body: Buffer, credentials: TestCredentials): { region: string } | { reason: string } {
  const authorization = req.headers.authorization ?? "";
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return { reason: "missing or malformed SigV4 Authorization header" };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  if (accessKeyId !== credentials.accessKeyId) return { reason: `unknown access key ${accessKeyId}` };
  if (service !== "sns") return { reason: `signed for service ${service}, not sns` };
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(date)) return { reason: "X-Amz-Date does not match the credential scope" };

  const [path, query = ""] = (req.url ?? "/").split("?");
  const canonicalQuery = query
    .split("&")
    .filter((part) => part !== "")
    .sort()
    .join("&");
  const canonicalHeaders = signedHeaders
    .split(";")
    .map((name) => `${name}:${String(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? sha256Hex(body));
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  return expected === signature ? { region } : { reason: "SigV4 signature does not match" };
}

/** SNS's documented subject rule: printable ASCII, starting with a letter, digit or punctuation, under 100 characters. */
export function snsSubjectProblem(subject: string): string | undefined {
  if (subject.length === 0) return "Subject must not be empty";
  if (subject.length >= 100) return `Subject must be less than 100 characters (got ${subject.length})`;
  if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) return "Subject must be ASCII text without line breaks or control characters";
  return undefined;
}

function messageAttributes(form: URLSearchParams): SnsPublish["messageAttributes"] {
  const attributes: SnsPublish["messageAttributes"] = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`)!;
    attributes[name] = {
      DataType: form.get(`MessageAttributes.entry.${n}.Value.DataType`) ?? "",
      StringValue: form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? "",
    };
  }
  return attributes;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function errorXml(code: string, message: string, status: number): { status: number; body: string } {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${SNS_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

export async function startSnsStub(options: SnsStubOptions): Promise<SnsStub> {
  const published: SnsPublish[] = [];
  const rejected: SnsRejection[] = [];
  const handlerErrors: unknown[] = [];
  const pending = new Set<Promise<void>>();

  function handle(req: IncomingMessage, body: Buffer): { status: number; body: string; accepted?: SnsPublish } {
    const reject = (code: string, reason: string, status = 400) => {
      rejected.push({ code, reason, body: body.toString("utf8") });
      return errorXml(code, reason, status);
    };
    if (req.method !== "POST") return reject("InvalidAction", "only POST is supported");
    const signed = verifySigV4(req, body, options.credentials);
    if ("reason" in signed) return reject("InvalidClientTokenId", signed.reason, 403);
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("Action") !== "Publish") return reject("InvalidAction", `action ${form.get("Action")} is not stubbed`);
    const topicArn = form.get("TopicArn");
    if (!topicArn) return reject("InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
    if (topicArn.split(":")[3] !== signed.region) return reject("InvalidParameter", `topic ${topicArn} is not in the signing region ${signed.region}`);
    const message = form.get("Message");
    if (message === null || message === "") return reject("InvalidParameter", "Invalid parameter: Message Reason: Empty message");
    if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) return reject("InvalidParameter", "Invalid parameter: Message too long");
    const subject = form.get("Subject") ?? undefined;
    const subjectProblem = subject === undefined ? undefined : snsSubjectProblem(subject);
    if (subjectProblem) return reject("InvalidParameter", `Invalid parameter: Subject Reason: ${subjectProblem}`);
    const attributes = messageAttributes(form);
    for (const [name, value] of Object.entries(attributes)) {
      if (value.StringValue === "") return reject("ParameterValueInvalid", `The message attribute '${name}' must contain non-empty message attribute value`);
    }
    const publish: SnsPublish = { topicArn, subject, message, messageAttributes: attributes, messageId: randomUUID(), receivedAt: Date.now(), region: signed.region };
    published.push(publish);
    return {
      status: 200,
      accepted: publish,
      body:
        `<PublishResponse xmlns="${SNS_NAMESPACE}"><PublishResult><MessageId>${publish.messageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = handle(req, Buffer.concat(chunks));
      res.writeHead(answer.status, { "content-type": "text/xml" });
      res.end(answer.body);
      if (answer.accepted && options.onPublish) {
        const run = Promise.resolve()
          .then(() => options.onPublish!(answer.accepted!))
          .catch((error: unknown) => {
            handlerErrors.push(error);
          })
          .finally(() => pending.delete(run));
        pending.add(run);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    published,
    rejected,
    handlerErrors,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
