/** The ingest proxy's pure parts: decoding remote-write requests, the account rule, PromQL scoping, credentials. */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Writer } from "protobufjs/minimal";
import { checkWriteScope } from "../../components/self-hosted-hub/ingest-proxy/account-scope";
import { Credentials } from "../../components/self-hosted-hub/ingest-proxy/credentials";
import { ingestProxyConfig } from "../../components/self-hosted-hub/ingest-proxy/proxy-config";
import { scopeQueryToAccount, scopeSeriesSelectors, UnscopableQueryError } from "../../components/self-hosted-hub/ingest-proxy/promql-scope";
import { decodeSeriesLabels, decodeWriteRequest, EncodableSeries, encodeWriteRequest } from "../../components/self-hosted-hub/ingest-proxy/write-request";

describe("self-hosted hub: remote-write request decoding", () => {
  it("reads back every series' labels, skipping samples", () => {
    const series: EncodableSeries[] = [
      { labels: { __name__: "up", account: "payments", job: "node" }, samples: [{ value: 1, timestampMs: 1_700_000_000_000 }] },
      { labels: { __name__: "x", account: "orders", "ünïcode": "välue" }, samples: [{ value: 0.5, timestampMs: 1 }, { value: 2, timestampMs: 2 }] },
    ];
    expect(decodeWriteRequest(encodeWriteRequest(series), 1 << 20)).to.deep.equal(series.map((one) => one.labels));
  });

  it("skips fields it does not read (metadata, exemplars) without losing series", () => {
    const writer = Writer.create();
    // metadata = 3 { type = 1 (varint), metric_family_name = 2 }
    writer.uint32((3 << 3) | 2).fork().uint32(1 << 3).uint32(1).uint32((2 << 3) | 2).string("up").ldelim();
    // timeseries = 1 { labels = 1 {..}, exemplars = 3 {..} }
    writer.uint32((1 << 3) | 2).fork();
    writer.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).string("account").uint32((2 << 3) | 2).string("payments").ldelim();
    writer.uint32((3 << 3) | 2).fork().uint32((2 << 3) | 1).double(1).ldelim();
    writer.ldelim();
    expect(decodeSeriesLabels(writer.finish())).to.deep.equal([{ account: "payments" }]);
  });

  it("refuses a body that is not snappy, and one that inflates above the limit", () => {
    expect(() => decodeWriteRequest(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 1 << 20)).to.throw();
    const big = encodeWriteRequest([{ labels: { __name__: "a".repeat(5000), account: "payments" }, samples: [] }]);
    expect(() => decodeWriteRequest(big, 1000)).to.throw(/too big/);
  });

  it("refuses a truncated message", () => {
    const writer = Writer.create();
    writer.uint32((1 << 3) | 2).uint32(50).uint32((1 << 3) | 2);
    expect(() => decodeSeriesLabels(writer.finish())).to.throw(/truncated|index out of range/);
  });
});

describe("self-hosted hub: the account rule on writes", () => {
  it("allows series of the credential's own account only", () => {
    expect(checkWriteScope("payments", [{ account: "payments" }, { account: "payments", job: "x" }])).to.deep.equal({ allowed: true });
    const other = checkWriteScope("payments", [{ account: "payments" }, { __name__: "up", account: "orders" }]);
    expect(other.allowed).to.equal(false);
    expect(other.reason).to.equal('series up{account="orders"} belongs to another account; this credential writes only account="payments"');
    const unlabelled = checkWriteScope("payments", [{ __name__: "up" }]);
    expect(unlabelled.allowed).to.equal(false);
    expect(unlabelled.reason).to.match(/has no account label/);
  });

  it("allows an empty request (nothing written)", () => {
    expect(checkWriteScope("payments", []).allowed).to.equal(true);
  });
});

describe("self-hosted hub: PromQL confined to one account", () => {
  const cases: [string, string][] = [
    ["up", 'up{account="payments"}'],
    ['up{job="node"}', 'up{account="payments",job="node"}'],
    ["up{}", 'up{account="payments"}'],
    ['{__name__="up"}', '{account="payments",__name__="up"}'],
    ['sum by (cluster) (rate(http_requests_total{code=~"5.."}[5m] offset 1h))', 'sum by (cluster) (rate(http_requests_total{account="payments",code=~"5.."}[5m] offset 1h))'],
    ["a / on(cluster) group_left b", 'a{account="payments"} / on(cluster) group_left b{account="payments"}'],
    ["max_over_time(up[10m:1m]) @ 100", 'max_over_time(up{account="payments"}[10m:1m]) @ 100'],
    ['up{account="orders"}', 'up{account="payments",account="orders"}'],
    ['up{account=~".+"}', 'up{account="payments",account=~".+"}'],
    ["1 + 1", "1 + 1"],
  ];
  for (const [query, scoped] of cases) {
    it(`${query} -> ${scoped}`, () => expect(scopeQueryToAccount(query, "payments")).to.equal(scoped));
  }

  it("quotes account names safely", () => {
    expect(scopeQueryToAccount("up", 'we"ird\\')).to.equal('up{account="we\\"ird\\\\"}');
  });

  it("refuses a query it cannot parse instead of passing it on", () => {
    for (const broken of ["up{", "sum(", "", 'up{job="x"} or']) {
      expect(() => scopeQueryToAccount(broken, "payments"), broken).to.throw(UnscopableQueryError);
    }
  });

  it("confines series selectors and supplies one when none is given", () => {
    expect(scopeSeriesSelectors([], "payments")).to.deep.equal(['{account="payments"}']);
    expect(scopeSeriesSelectors(["up", '{job="x"}'], "payments")).to.deep.equal(['up{account="payments"}', '{account="payments",job="x"}']);
  });
});

describe("self-hosted hub: ingest credentials from the token directory", () => {
  const config = ingestProxyConfig({ tokensDirectory: "/unused", listen: { host: "127.0.0.1", port: 0 }, upstreamUrl: "http://127.0.0.1:1" });
  const env = { QUERY_TOKEN: "q".repeat(40) };
  const fileOf = (token: unknown) => JSON.stringify({ token });

  it("maps a bearer token to its account, and the query token (or any other scheme) to none", () => {
    const dir = mkdtempSync(join(tmpdir(), "tokens-"));
    try {
      writeFileSync(join(dir, "payments.json"), fileOf("p".repeat(40)));
      const credentials = new Credentials(config, env);
      credentials.readDirectory(dir);
      expect(credentials.accountOf(`Bearer ${"p".repeat(40)}`)).to.equal("payments");
      expect(credentials.accountOf(`bearer ${"p".repeat(40)}`)).to.equal("payments");
      expect(credentials.accountOf(`Bearer ${"q".repeat(40)}`)).to.equal(undefined);
      expect(credentials.accountOf(undefined)).to.equal(undefined);
      expect(credentials.accountOf(`Basic ${"p".repeat(40)}`)).to.equal(undefined);
      expect(credentials.isQueryToken(`Bearer ${"q".repeat(40)}`)).to.equal(true);
      expect(credentials.isQueryToken(`Bearer ${"p".repeat(40)}`)).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start with a missing or short query token", () => {
    expect(() => new Credentials(config, {})).to.throw(/QUERY_TOKEN is missing or shorter/);
    expect(() => new Credentials(config, { QUERY_TOKEN: "short" })).to.throw(/QUERY_TOKEN is missing or shorter/);
  });

  it("takes each <account>.json, skips what is malformed, short, shared or the query token, and replaces the previous read at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "tokens-"));
    try {
      writeFileSync(join(dir, "payments.json"), fileOf("p".repeat(40)));
      writeFileSync(join(dir, "orders.json"), fileOf("o".repeat(40)));
      writeFileSync(join(dir, "short.json"), fileOf("s"));
      writeFileSync(join(dir, "broken.json"), "{");
      writeFileSync(join(dir, "twin-a.json"), fileOf("t".repeat(40)));
      writeFileSync(join(dir, "twin-b.json"), fileOf("t".repeat(40)));
      writeFileSync(join(dir, "query.json"), fileOf("q".repeat(40)));
      writeFileSync(join(dir, "Not_An_Account.json"), fileOf("n".repeat(40)));
      writeFileSync(join(dir, ".orders.tmp"), fileOf("x".repeat(40)));
      const credentials = new Credentials(config, env);
      const result = credentials.readDirectory(dir);
      expect(result.accounts).to.equal(2);
      expect(result.skipped.map((s) => s.file).sort()).to.deep.equal(["Not_An_Account.json", "broken.json", "query.json", "short.json", "twin-a.json", "twin-b.json"]);
      expect(JSON.stringify(result)).to.not.match(/(.)\1{39}/);
      expect(credentials.accountOf(`Bearer ${"p".repeat(40)}`)).to.equal("payments");
      expect(credentials.accountOf(`Bearer ${"t".repeat(40)}`)).to.equal(undefined);
      expect(credentials.accountOf(`Bearer ${"q".repeat(40)}`)).to.equal(undefined);
      expect([credentials.hasAccount("orders"), credentials.hasAccount("twin-a")]).to.deep.equal([true, false]);

      rmSync(join(dir, "orders.json"));
      writeFileSync(join(dir, "payments.json"), fileOf("r".repeat(40)));
      credentials.readDirectory(dir);
      expect(credentials.hasAccount("orders")).to.equal(false);
      expect(credentials.accountOf(`Bearer ${"p".repeat(40)}`)).to.equal(undefined);
      expect(credentials.accountOf(`Bearer ${"r".repeat(40)}`)).to.equal("payments");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts an account's previous token beside its current one after a rotation, and neither once both files are gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "tokens-"));
    try {
      const credentials = new Credentials(config, env);
      // Before any rotation the secret has no previous version: one file, one token.
      writeFileSync(join(dir, "payments.json"), fileOf("a".repeat(40)));
      expect(credentials.readDirectory(dir)).to.deep.equal({ accounts: 1, skipped: [] });
      // Rotated: the new version is current, the old one previous; both write as payments.
      writeFileSync(join(dir, "payments.json"), fileOf("b".repeat(40)));
      writeFileSync(join(dir, "payments.previous.json"), fileOf("a".repeat(40)));
      expect(credentials.readDirectory(dir)).to.deep.equal({ accounts: 1, skipped: [] });
      expect([credentials.accountOf(`Bearer ${"a".repeat(40)}`), credentials.accountOf(`Bearer ${"b".repeat(40)}`)]).to.deep.equal(["payments", "payments"]);
      // The same token in both files (a sync caught between versions) is still one account's, not shared.
      writeFileSync(join(dir, "payments.previous.json"), fileOf("b".repeat(40)));
      expect(credentials.readDirectory(dir)).to.deep.equal({ accounts: 1, skipped: [] });
      expect(credentials.accountOf(`Bearer ${"a".repeat(40)}`)).to.equal(undefined);
      // Another account's previous token equal to payments' current one is nobody's.
      writeFileSync(join(dir, "orders.json"), fileOf("o".repeat(40)));
      writeFileSync(join(dir, "orders.previous.json"), fileOf("b".repeat(40)));
      const shared = credentials.readDirectory(dir);
      expect(shared.skipped.map((s) => s.reason)).to.deep.equal(["shares its token with payments", "shares its token with orders"]);
      expect([credentials.accountOf(`Bearer ${"b".repeat(40)}`), credentials.accountOf(`Bearer ${"o".repeat(40)}`)]).to.deep.equal([undefined, "orders"]);
      for (const file of ["payments.json", "payments.previous.json", "orders.json", "orders.previous.json"]) rmSync(join(dir, file));
      expect(credentials.readDirectory(dir).accounts).to.equal(0);
      expect(credentials.hasAccount("payments")).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("renders the directory and its refresh period into the config, never a token", () => {
    expect(config).to.include({ tokensDirectory: "/unused", tokenRefreshSeconds: 15, queryTokenEnv: "QUERY_TOKEN" });
    expect(JSON.stringify(config)).to.not.match(/(.)\1{39}/);
  });
});

