/**
 * Runs the policy pack the way the Pulumi engine does and talks to it over the analyzer
 * protocol with the client that ships in @pulumi/pulumi.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { ResourceRecord } from "../../policies/analysis/model";
import { ENGINE_UNKNOWN_STRING, isUnknown } from "../../policies/analysis/unknown";

export const PACK_DIR = path.resolve(__dirname, "../../policies");

export interface RunningPack {
  process: ChildProcess;
  port: number;
  startupMs: number;
  stderr: () => string;
}

/**
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine-address> .` with the pack folder as working
 * directory, as the nodejs language host starts a policy pack; the module is resolved from the
 * pack folder, which finds the project root's node_modules. run-policy-pack drops the engine
 * address before loading the pack and the analyzer server never dials it, so any address works.
 */
export function startPack(timeoutMs: number): Promise<RunningPack> {
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
  const started = Date.now();
  const child = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`policy pack printed no port within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policy pack exited with ${code} before printing its port; stderr: ${stderr}`));
    });
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ process: child, port: Number(match[1]), startupMs: Date.now() - started, stderr: () => stderr });
    });
  });
}

export function stopPack(pack: RunningPack | undefined): void {
  if (pack && pack.process.exitCode === null) pack.process.kill("SIGKILL");
}

export function connect(port: number): AnalyzerClient {
  return new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown;

function call<Req, Res>(client: AnalyzerClient, method: Unary<Req, Res>, request: Req, deadlineMs = 10_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + deadlineMs);
    (method as unknown as (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, res: Res) => void) => void).call(
      client, request, new grpc.Metadata(), { deadline }, (error, response) => (error ? reject(error) : resolve(response)),
    );
  });
}

export const getAnalyzerInfo = (client: AnalyzerClient) => call<Empty, analyzerPb.AnalyzerInfo>(client, client.getAnalyzerInfo, new Empty());
export const configure = (client: AnalyzerClient, request: analyzerPb.ConfigureAnalyzerRequest) => call<analyzerPb.ConfigureAnalyzerRequest, Empty>(client, client.configure, request);
export const analyze = (client: AnalyzerClient, request: analyzerPb.AnalyzeRequest) => call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(client, client.analyze, request);
export const analyzeStack = (client: AnalyzerClient, request: analyzerPb.AnalyzeStackRequest) =>
  call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(client, client.analyzeStack, request);

/** The plan writes unknown values as "<unknown>"; the engine sends its sentinel. */
function engineValue(value: unknown): unknown {
  if (isUnknown(value)) return ENGINE_UNKNOWN_STRING;
  if (Array.isArray(value)) return value.map(engineValue);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineValue(v)]));
  return value;
}

function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(engineValue(value) as Parameters<typeof Struct.fromJavaScript>[0]);
}

export interface ProviderSpec {
  urn: string;
  name: string;
  accountId: string;
  region: string;
}

function providerResource(provider: ProviderSpec): analyzerPb.AnalyzerProviderResource {
  return new analyzerPb.AnalyzerProviderResource()
    .setType("pulumi:providers:aws")
    .setUrn(provider.urn)
    .setName(provider.name)
    .setProperties(struct({ region: provider.region, allowedAccountIds: [provider.accountId] }));
}

/** Current engines always send options and the provider; a request without options is refused. */
export function analyzeRequest(record: ResourceRecord, provider: ProviderSpec): analyzerPb.AnalyzeRequest {
  return new analyzerPb.AnalyzeRequest()
    .setType(record.type)
    .setUrn(record.urn)
    .setName(record.name)
    .setProperties(struct(record.inputs))
    .setOptions(new analyzerPb.AnalyzerResourceOptions().setProtect(false))
    .setProvider(providerResource(provider));
}

export function analyzeStackRequest(records: ResourceRecord[], provider: ProviderSpec): analyzerPb.AnalyzeStackRequest {
  const resources = records.map((record) =>
    new analyzerPb.AnalyzerResource()
      .setType(record.type)
      .setUrn(record.urn)
      .setName(record.name)
      .setProperties(struct(record.inputs))
      .setOptions(new analyzerPb.AnalyzerResourceOptions().setProtect(false))
      .setProvider(providerResource(provider))
      .setParent(record.parent ?? ""),
  );
  return new analyzerPb.AnalyzeStackRequest().setResourcesList(resources);
}

export function configureRequest(config: Record<string, { level: analyzerPb.EnforcementLevel; properties?: Record<string, unknown> }>): analyzerPb.ConfigureAnalyzerRequest {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [policy, { level, properties }] of Object.entries(config)) {
    // The engine always sends a properties struct (empty when the policy has no options).
    const entry = new analyzerPb.PolicyConfig().setEnforcementlevel(level).setProperties(struct(properties ?? {}));
    request.getPolicyconfigMap().set(policy, entry);
  }
  return request;
}

export interface Diagnostic {
  policy: string;
  level: "advisory" | "mandatory" | "other";
  message: string;
  urn: string;
}

export function diagnostics(response: analyzerPb.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel() === analyzerPb.EnforcementLevel.MANDATORY ? "mandatory" : d.getEnforcementlevel() === analyzerPb.EnforcementLevel.ADVISORY ? "advisory" : "other",
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}
