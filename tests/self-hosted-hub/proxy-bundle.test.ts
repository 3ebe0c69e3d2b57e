/**
 * The ingest proxy exactly as the task runs it: the bundled file under plain `node`, its
 * rendered config file, credentials from the environment. It must start, answer the load
 * balancer's health check under its base path, refuse unknown credentials, and refuse to
 * start without its credentials.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleIngestProxy } from "../../components/self-hosted-hub/ingest-proxy/bundle";
import { renderIngestProxyConfig } from "../../components/self-hosted-hub/ingest-proxy/proxy-config";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "../alert-path/processes";
import { writeTokenDirectory } from "../support/token-directory";

describe("self-hosted hub: the bundled ingest proxy as the container runs it", function () {
  this.timeout(60_000);
  let dir: string;
  let proxy: RunningProcess | undefined;
  let url: string;
  let configFile: string;
  let bundleFile: string;
  const env = { PATH: process.env.PATH, QUERY_TOKEN: randomBytes(24).toString("hex") };
  const ingestToken = randomBytes(24).toString("hex");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "proxy-bundle-"));
    bundleFile = join(dir, "ingest-proxy.js");
    writeFileSync(bundleFile, await bundleIngestProxy());
    const port = await freePort();
    url = `http://127.0.0.1:${port}/prometheus-a`;
    configFile = join(dir, "ingest-proxy.json");
    // Upstream on a closed port: health and authentication are answered without it.
    writeFileSync(configFile, renderIngestProxyConfig({ tokensDirectory: writeTokenDirectory(join(dir, "ingest-tokens"), { payments: ingestToken }), listen: { host: "127.0.0.1", port }, upstreamUrl: `http://127.0.0.1:${await freePort()}`, basePath: "/prometheus-a" }));
    proxy = startProcess("ingest-proxy", process.execPath, [bundleFile, configFile], env);
  });

  after(async () => {
    await proxy?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("starts, answers the health check under its base path and refuses an unknown credential", async () => {
    await waitFor("the bundled proxy's health check", () => httpOk(`${url}/-/healthy`), 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${proxy!.log()}`)));
    const write = await fetch(`${url}/api/v1/write`, { method: "POST", headers: { authorization: "Bearer not-a-token", "content-encoding": "snappy", "content-type": "application/x-protobuf" }, body: "x", signal: AbortSignal.timeout(5_000) });
    expect(write.status).to.equal(401);
    expect(proxy!.log()).to.match(/"message":"listening"/);
    expect(proxy!.log()).to.match(/"message":"ingest credentials read".*"accounts":1/);
    expect(proxy!.log()).to.not.contain(ingestToken);
  });

  it("refuses to start without its query credential, naming the missing variable", () => {
    const run = spawnSync(process.execPath, [bundleFile, configFile], { env: { PATH: process.env.PATH }, encoding: "utf8", timeout: 15_000 });
    expect(run.status).to.not.equal(0);
    expect(run.stderr).to.contain("QUERY_TOKEN is missing");
  });
});
