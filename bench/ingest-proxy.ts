/**
 * The self-hosted hub's ingest proxy: what decoding and checking every remote-write request
 * costs, and how many requests a real Prometheus receiver takes through the proxy versus
 * directly, one request at a time on loopback (a bounded count of AMP-sized requests:
 * 1000 samples each, as the collector's queue sends them).
 */
import { randomBytes } from "crypto";
import { Server } from "http";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { median } from "./notifier";
import { tmpdir } from "os";
import { join } from "path";
import { checkWriteScope } from "../components/self-hosted-hub/ingest-proxy/account-scope";
import { Credentials } from "../components/self-hosted-hub/ingest-proxy/credentials";
import { ingestProxyConfig } from "../components/self-hosted-hub/ingest-proxy/proxy-config";
import { createIngestProxy } from "../components/self-hosted-hub/ingest-proxy/server";
import { decodeWriteRequest, EncodableSeries, encodeWriteRequest } from "../components/self-hosted-hub/ingest-proxy/write-request";
import { freePort, requireBinary, startProcess, stopProcess, trackScratchDir, waitUntilReady } from "./processes";

export interface IngestProxyBenchResult {
  samplesPerRequest: number;
  seriesPerRequest: number;
  requestBytes: number;
  decode: { iterations: number; medianMicros: number; samplesPerSecond: number };
  endToEnd: { requests: number; directMs: number; proxiedMs: number; directRequestsPerSecond: number; proxiedRequestsPerSecond: number; proxiedSamplesPerSecond: number; accepted: number };
}

/** 100 series of 8 labels with 10 samples each: one AMP-sized request (max_samples_per_send 1000). */
function request(startMs: number): Uint8Array {
  const series: EncodableSeries[] = Array.from({ length: 100 }, (_, i) => ({
    labels: { __name__: `bench_metric_${i % 10}`, account: "payments", cluster: "blue", environment: "dev", instance: `10.0.0.${i}:9100`, job: "node-exporter", mode: "user", cpu: String(i) },
    samples: Array.from({ length: 10 }, (_, j) => ({ value: i * j, timestampMs: startMs + j * 1000 })),
  }));
  return encodeWriteRequest(series);
}


export async function runIngestProxyBench(options: { iterations: number; requests: number; log: (line: string) => void }): Promise<IngestProxyBenchResult> {
  const body = request(Date.now());
  const timings: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const started = process.hrtime.bigint();
    const verdict = checkWriteScope("payments", decodeWriteRequest(body, 64 * 1024 * 1024));
    timings.push(Number(process.hrtime.bigint() - started) / 1000);
    if (!verdict.allowed) throw new Error(`bench request refused: ${verdict.reason}`);
  }
  const medianMicros = median(timings);
  options.log(`ingest proxy: decode + check of a 1000-sample request, median ${medianMicros.toFixed(0)} µs over ${options.iterations}`);

  requireBinary("prometheus", "prometheus");
  const dir = trackScratchDir(mkdtempSync(join(tmpdir(), "bench-proxy-")));
  const receiverPort = await freePort();
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;
  const receiver = startProcess("receiver", "prometheus", [
    `--config.file=/dev/null`, `--storage.tsdb.path=${join(dir, "tsdb")}`, `--web.listen-address=127.0.0.1:${receiverPort}`, "--web.enable-remote-write-receiver",
  ]);
  const token = randomBytes(24).toString("hex");
  const proxyPort = await freePort();
  // The token directory as the hub's account sync writes it.
  const tokens = join(dir, "ingest-tokens");
  mkdirSync(tokens);
  writeFileSync(join(tokens, "payments.json"), JSON.stringify({ token }), { mode: 0o600 });
  const config = ingestProxyConfig({ tokensDirectory: tokens, listen: { host: "127.0.0.1", port: proxyPort }, upstreamUrl: receiverUrl });
  const credentials = new Credentials(config, { QUERY_TOKEN: randomBytes(24).toString("hex") });
  credentials.readDirectory(tokens);
  const proxy: Server = createIngestProxy(config, credentials, { info() {}, warn() {} });
  await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
  try {
    await waitUntilReady(receiver, `${receiverUrl}/-/ready`);
    const headers = { "content-encoding": "snappy", "content-type": "application/x-protobuf", "x-prometheus-remote-write-version": "0.1.0" };
    // Each request carries new timestamps, so the receiver stores every one (no out-of-order refusals).
    let clock = Date.now() - 60 * 60 * 1000;
    const send = async (url: string, extra: Record<string, string>) => {
      let accepted = 0;
      const started = Date.now();
      for (let i = 0; i < options.requests; i++) {
        clock += 10_000;
        const response = await fetch(url, { method: "POST", headers: { ...headers, ...extra }, body: request(clock), signal: AbortSignal.timeout(10_000) });
        if (response.status === 204) accepted++;
        await response.arrayBuffer();
      }
      return { ms: Date.now() - started, accepted };
    };
    const direct = await send(`${receiverUrl}/api/v1/write`, {});
    const proxied = await send(`http://127.0.0.1:${proxyPort}/api/v1/write`, { authorization: `Bearer ${token}` });
    options.log(`ingest proxy: ${options.requests} requests direct ${direct.ms} ms, through the proxy ${proxied.ms} ms`);
    return {
      samplesPerRequest: 1000,
      seriesPerRequest: 100,
      requestBytes: body.byteLength,
      decode: { iterations: options.iterations, medianMicros, samplesPerSecond: 1000 / (medianMicros / 1e6) },
      endToEnd: {
        requests: options.requests,
        directMs: direct.ms,
        proxiedMs: proxied.ms,
        directRequestsPerSecond: options.requests / (direct.ms / 1000),
        proxiedRequestsPerSecond: options.requests / (proxied.ms / 1000),
        proxiedSamplesPerSecond: (options.requests * 1000) / (proxied.ms / 1000),
        accepted: proxied.accepted,
      },
    };
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await stopProcess(receiver);
  }
}
