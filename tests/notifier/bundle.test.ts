import { expect } from "chai";
import { execFile } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { builtinModules } from "module";
import { tmpdir } from "os";
import * as path from "path";
import { promisify } from "util";
import { NotifierBundle, bundleNotifier } from "../../components/alert-pipeline/notifier/bundle";
import { SecretsManagerStub, Sinks, startSecretsManagerStub, startSinks } from "../support/sinks";
import { createLedgerTable, startLocalDynamo } from "../support/local-dynamo";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import { allDestinationsConfig, sinkSecrets } from "./harness";

const run = promisify(execFile);
/** Where the Node 20 Lambda runtime's own @aws-sdk/* would come from; here, the project's copy. */
const RUNTIME_NODE_PATH = path.resolve(__dirname, "../../node_modules");

describe("notifier bundle", function () {
  this.timeout(30_000);
  let bundle: NotifierBundle;
  let dir: string;
  let sinks: Sinks;
  let secretsManager: SecretsManagerStub;

  before(async () => {
    bundle = await bundleNotifier();
    dir = mkdtempSync(path.join(tmpdir(), "notifier-bundle-"));
    writeFileSync(path.join(dir, "index.js"), bundle.code);
    sinks = await startSinks();
    secretsManager = await startSecretsManagerStub(sinkSecrets(sinks));
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await secretsManager.close();
    await sinks.close();
  });

  it("is one small file that requires only Node built-ins and @aws-sdk/*", () => {
    expect(bundle.bytes).to.equal(Buffer.byteLength(bundle.code));
    expect(bundle.bytes).to.be.below(100 * 1024);
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const imported of bundle.externalImports) {
      expect(builtins.has(imported) || imported.startsWith("@aws-sdk/"), imported).to.equal(true);
    }
    const required = [...bundle.code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(required).to.include("@aws-sdk/client-secrets-manager");
    for (const name of required) expect(builtins.has(name) || name.startsWith("@aws-sdk/"), name).to.equal(true);
  });

  it("exposes handler when required from a fresh node process, and delivers with it", async () => {
    const script = `
      const { handler } = require(${JSON.stringify(path.join(dir, "index.js"))});
      if (typeof handler !== "function") throw new Error("no handler export");
      handler(JSON.parse(process.env.TEST_EVENT), { getRemainingTimeInMillis: () => 20000 })
        .then((result) => process.stdout.write("RESULT " + JSON.stringify(result) + "\\n"))
        .catch((error) => { process.stdout.write("ERROR " + error.name + "\\n"); process.exitCode = 1; });
    `;
    const event = snsEvent(JSON.stringify(ampMessage([ampAlert({ labels: { ...ampAlert().labels, severity: "critical" } })])));
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: dir,
      timeout: 20_000,
      env: {
        PATH: process.env.PATH,
        NODE_PATH: RUNTIME_NODE_PATH,
        NOTIFIER_CONFIG: JSON.stringify(allDestinationsConfig()),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        TEST_EVENT: JSON.stringify(event),
      },
    });
    expect(stdout).to.include('RESULT {"delivered":1,"ignored":0}');
    expect(sinks.accepted("slack")).to.have.length(1);
    expect(sinks.accepted("pagerduty")).to.have.length(1);
    expect(sinks.accepted("webhook")).to.have.length(1);
    expect(sinks.jiraIssues).to.have.length(1);
  });

  it("with DELIVERY_LEDGER_TABLE, a retry of a partly delivered event reaches only the destination that failed", async () => {
    const dynamo = await startLocalDynamo();
    const faulty = await startSinks({ faultsByKind: { webhook: { rate: 1, modes: ["5xx"] } } });
    const healthy = await startSinks();
    const healthySecrets = await startSecretsManagerStub(sinkSecrets(healthy));
    try {
      await createLedgerTable(dynamo.client, "bundle-ledger");
      const script = `
        const { handler } = require(${JSON.stringify(path.join(dir, "index.js"))});
        handler(JSON.parse(process.env.TEST_EVENT), { getRemainingTimeInMillis: () => 5000 })
          .then((result) => process.stdout.write("RESULT " + JSON.stringify(result) + "\\n"))
          .catch((error) => process.stdout.write("ERROR " + error.name + "\\n"));
      `;
      const event = snsEvent(JSON.stringify(ampMessage([ampAlert({ labels: { ...ampAlert().labels, severity: "critical" } })])));
      const env = (secrets: SecretsManagerStub) => ({
        PATH: process.env.PATH,
        NODE_PATH: RUNTIME_NODE_PATH,
        NOTIFIER_CONFIG: JSON.stringify(allDestinationsConfig()),
        DELIVERY_LEDGER_TABLE: "bundle-ledger",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        TEST_EVENT: JSON.stringify(event),
      });
      // First invocation: the webhook refuses, the others accept; the invocation fails.
      const faultySecrets = await startSecretsManagerStub(sinkSecrets(faulty));
      try {
        const first = await run(process.execPath, ["-e", script], { cwd: dir, timeout: 20_000, env: env(faultySecrets) });
        expect(first.stdout).to.include("ERROR NotificationFailedError");
      } finally {
        await faultySecrets.close();
      }
      expect(faulty.accepted("slack")).to.have.length(1);
      expect(faulty.accepted("webhook")).to.have.length(0);
      // The retry, in a fresh process against healthy sinks: only the webhook is delivered to.
      const { stdout } = await run(process.execPath, ["-e", script], { cwd: dir, timeout: 20_000, env: env(healthySecrets) });
      expect(stdout).to.include('RESULT {"delivered":1,"ignored":0}');
      expect(healthy.accepted("webhook")).to.have.length(1);
      expect(healthy.accepted("slack"), "slack already had it").to.have.length(0);
      expect(healthy.accepted("pagerduty"), "pagerduty already had it").to.have.length(0);
      expect(healthy.jiraIssues, "jira already had it").to.have.length(0);
    } finally {
      await healthySecrets.close();
      await healthy.close();
      await faulty.close();
      await dynamo.close();
    }
  });
});
