/**
 * The ingest proxy learns accounts while it runs: the bundled proxy under plain `node`, as the
 * Prometheus task runs it, reading its tokens from a directory (the stand-in for what the task's
 * account sync writes from Secrets Manager), in front of Debian's real Prometheus receiver. An
 * account whose token file appears after the proxy started is accepted without a restart (its
 * series land in Prometheus), a rotated token replaces the old one, the previous version stays
 * accepted beside the current one (`<account>.previous.json`), a removed account is refused.
 */
import { expect } from "chai";
import { randomBytes } from "crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { prometheusServerArgs } from "../../components/self-hosted-hub";
import { bundleIngestProxy } from "../../components/self-hosted-hub/ingest-proxy/bundle";
import { QUERY_TOKEN_ENV, renderIngestProxyConfig } from "../../components/self-hosted-hub/ingest-proxy/proxy-config";
import { encodeWriteRequest } from "../../components/self-hosted-hub/ingest-proxy/write-request";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { requireTool } from "../support/tools";

const token = () => randomBytes(24).toString("hex");

describe("self-hosted hub on loopback: the proxy picks up a new account's token without a restart", function () {
  this.timeout(120_000);
  let dir: string;
  let tokens: string;
  let proxyUrl: string;
  let centralUrl: string;
  const processes: RunningProcess[] = [];
  const queryToken = token();
  let sample = 0;

  const logs = () => processes.map((p) => p.log()).join("\n");
  const writeTokenFile = (account: string, value: string, version: "current" | "previous" = "current") => {
    // As the sync writes it: a temporary file renamed into place, so a half-written file is never read.
    const file = version === "current" ? `${account}.json` : `${account}.previous.json`;
    writeFileSync(join(tokens, `.${file}.tmp`), JSON.stringify({ token: value }), { mode: 0o600 });
    renameSync(join(tokens, `.${file}.tmp`), join(tokens, file));
  };
  const write = async (account: string, bearer: string) => {
    sample += 1;
    const body = encodeWriteRequest([{ labels: { __name__: "token_directory_probe", account }, samples: [{ value: sample, timestampMs: Date.now() }] }]);
    const response = await fetch(`${proxyUrl}/api/v1/write`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-encoding": "snappy", "content-type": "application/x-protobuf", "x-prometheus-remote-write-version": "0.1.0" },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return response.status;
  };
  /** Writes until the proxy answers `status` (it re-reads the directory on its own schedule). */
  const untilStatus = (what: string, account: string, bearer: string, status: number) =>
    waitFor(what, async () => ((await write(account, bearer)) === status ? true : undefined), 30_000, 250).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));

  before(async function () {
    requireTool(this, "prometheus", "prometheus");
    dir = mkdtempSync(join(tmpdir(), "token-directory-"));
    tokens = join(dir, "tokens");
    mkdirSync(tokens, { mode: 0o700 });
    const centralPort = await freePort();
    centralUrl = `http://127.0.0.1:${centralPort}`;
    writeFileSync(join(dir, "central.yml"), stringify({ global: { scrape_interval: "1m" } }));
    processes.push(startProcess("central", "prometheus", prometheusServerArgs({ configFile: join(dir, "central.yml"), storagePath: join(dir, "central-data"), retentionTime: "1d", retentionSize: "1GB", listenAddress: `127.0.0.1:${centralPort}` })));

    const proxyPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}/prometheus-a`;
    writeTokenFile("payments", token());
    writeFileSync(join(dir, "ingest-proxy.js"), await bundleIngestProxy());
    writeFileSync(join(dir, "ingest-proxy.json"), renderIngestProxyConfig({ tokensDirectory: tokens, tokenRefreshSeconds: 1, listen: { host: "127.0.0.1", port: proxyPort }, upstreamUrl: centralUrl, basePath: "/prometheus-a" }));
    processes.push(startProcess("ingest-proxy", process.execPath, [join(dir, "ingest-proxy.js"), join(dir, "ingest-proxy.json")], { PATH: process.env.PATH, [QUERY_TOKEN_ENV]: queryToken }));
    await waitFor("central Prometheus ready", () => httpOk(`${centralUrl}/-/ready`), 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
    await waitFor("the proxy's health check", () => httpOk(`${proxyUrl}/-/healthy`), 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${logs()}`)));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an account with no token file, then accepts it once its file appears, and stores its series", async () => {
    const search = token();
    expect(await write("search", search)).to.equal(401);
    writeTokenFile("search", search);
    await untilStatus("search's write accepted", "search", search, 204);
    const stored = await httpOk(`${centralUrl}/api/v1/query?query=${encodeURIComponent('token_directory_probe{account="search"}')}`);
    expect(JSON.parse(stored!).data.result).to.have.length(1);
    // Its query path is served too (the proxy's accounts are the directory's).
    const scoped = await fetch(`${proxyUrl}/accounts/search/api/v1/query?query=token_directory_probe`, { headers: { authorization: `Bearer ${queryToken}` } });
    expect(scoped.status).to.equal(200);
    expect(((await scoped.json()) as any).data.result.map((s: any) => s.metric.account)).to.deep.equal(["search"]);
    // The new account's token still writes only its own series.
    const sneaky = encodeWriteRequest([{ labels: { __name__: "token_directory_probe", account: "payments" }, samples: [{ value: 1, timestampMs: Date.now() }] }]);
    const refused = await fetch(`${proxyUrl}/api/v1/write`, { method: "POST", headers: { authorization: `Bearer ${search}`, "content-encoding": "snappy", "content-type": "application/x-protobuf" }, body: sneaky });
    expect(refused.status).to.equal(403);
  });

  it("takes a rotated token in place of the old one, and refuses an account whose file is removed", async () => {
    const old = token();
    writeTokenFile("orders", old);
    await untilStatus("orders' first token accepted", "orders", old, 204);
    const rotated = token();
    writeTokenFile("orders", rotated);
    await untilStatus("orders' rotated token accepted", "orders", rotated, 204);
    expect(await write("orders", old)).to.equal(401);
    unlinkSync(join(tokens, "orders.json"));
    await untilStatus("orders refused once its file is gone", "orders", rotated, 401);
    const gone = await fetch(`${proxyUrl}/accounts/orders/api/v1/query?query=up`, { headers: { authorization: `Bearer ${queryToken}` } });
    expect(gone.status).to.equal(404);
  });

  it("after a rotation accepts the new and the previous token side by side, so collectors move over without a refused write", async () => {
    const old = token();
    writeTokenFile("billing", old);
    await untilStatus("billing's first token accepted", "billing", old, 204);
    // The sync's refresh after a rotation: the new version as current, the old one as previous.
    const rotated = token();
    writeTokenFile("billing", old, "previous");
    writeTokenFile("billing", rotated);
    await untilStatus("billing's rotated token accepted", "billing", rotated, 204);
    expect(await write("billing", old), "a collector not yet restarted").to.equal(204);
    // The next rotation: the first token is no longer any version of the secret.
    const third = token();
    writeTokenFile("billing", rotated, "previous");
    writeTokenFile("billing", third);
    await untilStatus("billing's first token refused after the second rotation", "billing", old, 401);
    expect([await write("billing", rotated), await write("billing", third)]).to.deep.equal([204, 204]);
  });

  it("never logs a token", () => {
    expect(processes.find((p) => p.log().includes("ingest credentials read"))?.log() ?? "", "the proxy logged its reads").to.contain("ingest credentials read");
    expect(logs()).to.not.match(/[0-9a-f]{48}/);
  });
});
