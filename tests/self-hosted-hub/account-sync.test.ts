/**
 * The central tasks' account sync (`account-sync.ts`) as its container runs it: the script
 * under POSIX `sh` with the rendered environment (paths moved under a scratch directory), and
 * stand-ins for `aws` (a local folder as the bucket, local files as Secrets Manager), `curl`
 * (records the reloads) and `sleep` (returns at once and, between cycles, changes the bucket the
 * way account stacks do). No time is measured: cycles are counted.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse } from "yaml";
import { ACCOUNT_SYNC_SCRIPT, accountSyncEnvironment, AccountSyncSettings, prometheusReloadCommand } from "../../components/self-hosted-hub/account-sync";
import { cloudWatchExporterAssembleCommand, cloudWatchExporterConfig, cloudWatchExporterHeader, renderAccountCloudWatchJobs } from "../../components/self-hosted-hub/cloudwatch-exporter-config";

const SECRET_PREFIX = "observability/selfhosted/self-hosted/ingest/";
const secretOf = (token: string) => JSON.stringify({ token });

describe("self-hosted hub: the account sync under sh (stand-in aws, curl, sleep)", () => {
  let dir: string;
  let bucket: string;
  let secrets: string;
  let bin: string;
  let calls: string;

  const putObject = (key: string, text: string) => {
    mkdirSync(join(bucket, key, ".."), { recursive: true });
    writeFileSync(join(bucket, key), text);
  };
  const putSecret = (account: string, token: string) => writeFileSync(join(secrets, `${SECRET_PREFIX}${account}`.replace(/\//g, "_")), secretOf(token));
  /** After the n-th sleep (between cycles n and n+1), run this shell. */
  const betweenCycles = (n: number, shell: string) => writeFileSync(join(bin, `after-sleep-${n}`), shell);
  const logged = (tool: string) => (existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : []).filter((line) => line.startsWith(`${tool} `));

  function settings(overrides: Partial<AccountSyncSettings> = {}): AccountSyncSettings {
    return {
      bucketName: "hub-selfhosted-config-210987654321",
      prefixes: [{ prefix: "prometheus/accounts/", directory: join(dir, "config/accounts") }],
      intervalSeconds: 60,
      cycles: 0,
      onChange: prometheusReloadCommand("127.0.0.1:9090"),
      tokens: { accountsDirectory: join(dir, "config/accounts"), secretNamePrefix: SECRET_PREFIX, tokensDirectory: join(dir, "tokens"), refreshCycles: 60 },
      ...overrides,
    };
  }

  function run(cycles: number, overrides: Partial<AccountSyncSettings> = {}) {
    const env = { ...accountSyncEnvironment(settings(overrides)), SYNC_CYCLES: String(cycles), PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, BUCKET_DIR: bucket, SECRETS_DIR: secrets, STAND_INS: bin };
    return spawnSync("sh", ["-c", ACCOUNT_SYNC_SCRIPT], { env, encoding: "utf8", timeout: 30_000 });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "account-sync-"));
    bucket = join(dir, "bucket");
    secrets = join(dir, "secrets");
    bin = join(dir, "bin");
    calls = join(dir, "calls");
    for (const folder of [bucket, secrets, bin]) mkdirSync(folder);
    const tool = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool("aws", [
      'echo "aws $*" >> "$CALLS"',
      'if [ "$1 $2" = "s3 sync" ]; then',
      '  [ -f "$STAND_INS/fail-s3" ] && { echo "An error occurred (AccessDenied)" >&2; exit 1; }',
      '  source="$BUCKET_DIR/${5#s3://*/}"; target="$6"; mkdir -p "$source" "$target"',
      '  if ! diff -r "$source" "$target" > /dev/null 2>&1; then rm -rf "$target"; mkdir -p "$target"; cp -R "$source/." "$target/"; echo "download: s3://... to $target"; fi',
      '  exit 0',
      "fi",
      'if [ "$1 $2 $3" = "secretsmanager get-secret-value --secret-id" ]; then',
      '  file="$SECRETS_DIR/$(echo "$4" | tr / _)"',
      // The previous version (AWSPREVIOUS) is `<secret>.previous`; a first version has none.
      '  if [ "$5 $6" = "--version-stage AWSPREVIOUS" ]; then',
      '    [ -f "$STAND_INS/fail-previous" ] && { echo "An error occurred (ThrottlingException)" >&2; exit 254; }',
      '    file="$file.previous"',
      '  fi',
      '  [ -f "$file" ] || { echo "An error occurred (ResourceNotFoundException)" >&2; exit 254; }',
      '  cat "$file"; exit 0',
      "fi",
      "exit 2",
    ].join("\n"));
    tool("curl", 'echo "curl $* stdin=$(cat)" >> "$CALLS"');
    tool("sleep", 'n=$(($(cat "$STAND_INS/sleeps" 2>/dev/null || echo 0) + 1)); echo $n > "$STAND_INS/sleeps"; if [ -f "$STAND_INS/after-sleep-$n" ]; then sh "$STAND_INS/after-sleep-$n"; fi');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("copies an account's files and token, takes a new account's token in the next cycle, drops a removed one, reloads only after a change", () => {
    putObject("prometheus/accounts/payments/rules/payments-collector.yml", "groups: []\n");
    putSecret("payments", "p".repeat(48));
    putSecret("search", "s".repeat(48));
    // Cycle 2: search's hub stack has written its files; payments' token was rotated meanwhile.
    betweenCycles(1, `mkdir -p "${bucket}/prometheus/accounts/search/rules" && echo 'groups: []' > "${bucket}/prometheus/accounts/search/rules/search-collector.yml" && printf '%s' '${secretOf("r".repeat(48))}' > "${secrets}/${`${SECRET_PREFIX}payments`.replace(/\//g, "_")}"`);
    // Cycle 3: payments' stack is removed; orders' stack wrote files but its secret is not readable.
    betweenCycles(2, `rm -rf "${bucket}/prometheus/accounts/payments" && mkdir -p "${bucket}/prometheus/accounts/orders/rules" && echo 'groups: []' > "${bucket}/prometheus/accounts/orders/rules/orders-collector.yml"`);

    const result = run(3);
    expect(result.status, result.stderr).to.equal(0);
    const tokens = join(dir, "tokens");
    // Tokens are fetched once per new account (rotation waits for the refresh cycle).
    const fetches = logged("aws").filter((line) => line.includes("get-secret-value"));
    expect(fetches.filter((line) => !line.includes("--version-stage")).map((line) => line.split(" ")[4])).to.deep.equal([`${SECRET_PREFIX}payments`, `${SECRET_PREFIX}search`, `${SECRET_PREFIX}orders`]);
    // With each token read, its previous version (none here: first versions); not for a secret that could not be read.
    expect(fetches.filter((line) => line.includes("--version-stage AWSPREVIOUS")).map((line) => line.split(" ")[4])).to.deep.equal([`${SECRET_PREFIX}payments`, `${SECRET_PREFIX}search`]);
    expect(readdirSync(tokens)).to.deep.equal(["search.json"]);
    expect(readFileSync(join(tokens, "search.json"), "utf8").trim()).to.equal(secretOf("s".repeat(48)));
    expect(statSync(join(tokens, "search.json")).mode & 0o777).to.equal(0o600);
    expect(readdirSync(join(dir, "config/accounts")).sort()).to.deep.equal(["orders", "search"]);
    expect(logged("curl")).to.deep.equal(Array(3).fill("curl -fsS -X POST http://127.0.0.1:9090/-/reload stdin="));
    expect(result.stderr).to.contain("ingest secret of account orders not read; retrying next cycle");
    expect(result.stderr + result.stdout).to.not.match(/(.)\1{47}/);
  });

  it("re-reads every account's token on refresh cycles (a rotated token), and does not reload when nothing changed", () => {
    putObject("prometheus/accounts/payments/rules/payments-collector.yml", "groups: []\n");
    putSecret("payments", "p".repeat(48));
    betweenCycles(1, `printf '%s' '${secretOf("r".repeat(48))}' > "${secrets}/${`${SECRET_PREFIX}payments`.replace(/\//g, "_")}"`);
    const result = run(3, { tokens: { ...settings().tokens!, refreshCycles: 2 } });
    expect(result.status, result.stderr).to.equal(0);
    expect(logged("aws").filter((line) => line.includes("get-secret-value") && !line.includes("--version-stage"))).to.have.length(2);
    expect(readFileSync(join(dir, "tokens/payments.json"), "utf8").trim()).to.equal(secretOf("r".repeat(48)));
    expect(logged("curl")).to.have.length(1);
  });

  it("keeps the previous version of a rotated token beside the current one, keeps it through a failed read, and drops both with the account", () => {
    const secretFile = `${secrets}/${`${SECRET_PREFIX}payments`.replace(/\//g, "_")}`;
    putObject("prometheus/accounts/payments/rules/payments-collector.yml", "groups: []\n");
    putSecret("payments", "p".repeat(48));
    // Rotated after cycle 1: r is current, p previous (Secrets Manager moves AWSPREVIOUS itself).
    betweenCycles(1, `printf '%s' '${secretOf("r".repeat(48))}' > "${secretFile}" && printf '%s' '${secretOf("p".repeat(48))}' > "${secretFile}.previous"`);
    // Rotated again after cycle 3, and the previous version cannot be read on cycle 5.
    betweenCycles(3, `printf '%s' '${secretOf("z".repeat(48))}' > "${secretFile}" && printf '%s' '${secretOf("r".repeat(48))}' > "${secretFile}.previous" && touch "${bin}/fail-previous"`);
    const tokens = join(dir, "tokens");
    const token = (file: string) => readFileSync(join(tokens, file), "utf8").trim();
    const result = run(5, { tokens: { ...settings().tokens!, refreshCycles: 2 } });
    expect(result.status, result.stderr).to.equal(0);
    expect(readdirSync(tokens).sort()).to.deep.equal(["payments.json", "payments.previous.json"]);
    expect(token("payments.json")).to.equal(secretOf("z".repeat(48)));
    // Read on cycle 3 (p); on cycle 5 the read failed, so the task keeps p rather than refusing it.
    expect(token("payments.previous.json")).to.equal(secretOf("p".repeat(48)));
    expect(statSync(join(tokens, "payments.previous.json")).mode & 0o777).to.equal(0o600);
    expect(result.stderr).to.contain("previous ingest token of account payments not read; keeping what the task has");
    expect(result.stderr + result.stdout).to.not.match(/(.)\1{47}/);

    // The account's stack is removed: both of its tokens go.
    rmSync(join(bucket, "prometheus/accounts/payments"), { recursive: true });
    rmSync(join(bin, "sleeps"));
    expect(run(1).status).to.equal(0);
    expect(readdirSync(tokens)).to.deep.equal([]);
  });

  it("keeps the files and tokens it has when the bucket cannot be read, and says so", () => {
    putObject("prometheus/accounts/payments/rules/payments-collector.yml", "groups: []\n");
    putSecret("payments", "p".repeat(48));
    betweenCycles(1, `touch "${bin}/fail-s3"`);
    const result = run(2);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.contain("sync of s3://hub-selfhosted-config-210987654321/prometheus/accounts/ failed; keeping the files the task has");
    expect(readdirSync(join(dir, "config/accounts"))).to.deep.equal(["payments"]);
    expect(readdirSync(join(dir, "tokens"))).to.deep.equal(["payments.json"]);
  });

  it("assembles the CloudWatch exporter's file from the shared header and each account's jobs, then reloads YACE; writes nothing without jobs", () => {
    const accounts = [
      { name: "payments", cloudWatchReadRoleArn: "arn:aws:iam::111122223333:role/grafana-cloudwatch-read-selfhosted", alarms: [{ preset: "lambda-errors" as const, resource: "charge" }] },
      { name: "search", cloudWatchReadRoleArn: "arn:aws:iam::444455556666:role/grafana-cloudwatch-read-selfhosted", alarms: [{ preset: "sqs-oldest-message-age" as const, resource: "reindex" }, { preset: "lambda-errors" as const, resource: "indexer" }] },
    ];
    const config = join(dir, "config");
    mkdirSync(config);
    writeFileSync(join(config, "header.yml"), cloudWatchExporterHeader("eu-west-1"));
    const exporterSettings = (): AccountSyncSettings => ({
      ...settings(),
      prefixes: [{ prefix: "cloudwatch-exporter/jobs/", directory: join(config, "cloudwatch-exporter-jobs") }],
      tokens: undefined,
      onChange: cloudWatchExporterAssembleCommand({ headerFile: join(config, "header.yml"), jobsDirectory: join(config, "cloudwatch-exporter-jobs"), configFile: join(config, "config.yml"), exporterAddress: "127.0.0.1:5000" }),
    });
    // No account has alarm presets yet: no file, no reload (YACE keeps waiting).
    putObject("cloudwatch-exporter/jobs/.keep", "");
    expect(run(1, exporterSettings()).status).to.equal(0);
    expect(existsSync(join(config, "config.yml"))).to.equal(false);
    expect(logged("curl")).to.deep.equal([]);
    // Two accounts' hub stacks wrote their jobs: the file is what one renderer would write for both.
    for (const account of accounts) putObject(`cloudwatch-exporter/jobs/${account.name}.yml`, renderAccountCloudWatchJobs("eu-west-1", account));
    const result = run(1, exporterSettings());
    expect(result.status, result.stderr).to.equal(0);
    expect(parse(readFileSync(join(config, "config.yml"), "utf8"))).to.deep.equal(cloudWatchExporterConfig({ region: "eu-west-1", accounts }));
    expect(logged("curl")).to.deep.equal(["curl -fsS -X POST http://127.0.0.1:5000/reload stdin="]);
  });

  it("refuses unsafe names and an accounts directory it does not sync", () => {
    expect(() => accountSyncEnvironment(settings({ bucketName: "bucket; rm -rf /" }))).to.throw(/not a safe bucket name/);
    expect(() => accountSyncEnvironment(settings({ prefixes: [{ prefix: "prometheus/accounts", directory: "/config/accounts" }] }))).to.throw(/must end with/);
    expect(() => accountSyncEnvironment(settings({ prefixes: [{ prefix: "grafana/", directory: "/config/grafana" }] }))).to.throw(/not one of the synced directories/);
  });
});
