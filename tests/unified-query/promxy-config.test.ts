import { expect } from "chai";
import YAML from "yaml";
import { renderPromxyConfig, PromxyWorkspace } from "../../components/unified-query/promxy-config";

function workspaceId(n: number): string {
  return `ws-${n.toString(16).padStart(8, "0")}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, "0")}`;
}

function workspaces(count: number): PromxyWorkspace[] {
  // Listed out of order on purpose: the rendered groups are sorted by account name.
  return Array.from({ length: count }, (_, i) => ({ accountName: `account-${String(count - i).padStart(2, "0")}`, workspaceId: workspaceId(count - i) }));
}

interface ServerGroup {
  static_configs: Array<{ targets: string[] }>;
  scheme: string;
  path_prefix: string;
  labels: Record<string, string>;
  remote_read: boolean;
  timeout: string;
  http_client: { dial_timeout: string; sigv4?: { region: string; role_arn?: string } };
  downgrade_error: boolean;
  ignore_error: boolean;
}

function serverGroups(yamlText: string): ServerGroup[] {
  const parsed = YAML.parse(yamlText, { strict: true, uniqueKeys: true }) as { promxy: { server_groups: ServerGroup[] } };
  expect(Object.keys(parsed)).to.deep.equal(["promxy"]);
  return parsed.promxy.server_groups;
}

describe("renderPromxyConfig", () => {
  for (const count of [1, 3, 20]) {
    it(`renders exactly one signed server group per workspace for ${count} workspace(s)`, () => {
      const input = workspaces(count);
      const rendered = renderPromxyConfig({ region: "eu-west-1", workspaces: input, sigv4Mode: "native" });
      const groups = serverGroups(rendered);
      expect(groups).to.have.length(count);

      const expectedOrder = [...input].sort((a, b) => a.accountName.localeCompare(b.accountName));
      groups.forEach((group, i) => {
        const ws = expectedOrder[i];
        expect(group).to.deep.equal({
          static_configs: [{ targets: ["aps-workspaces.eu-west-1.amazonaws.com"] }],
          scheme: "https",
          path_prefix: `/workspaces/${ws.workspaceId}`,
          labels: { account: ws.accountName },
          remote_read: false,
          anti_affinity: "10s",
          timeout: "30s",
          http_client: { dial_timeout: "2s", sigv4: { region: "eu-west-1" } },
          downgrade_error: true,
          ignore_error: false,
        });
      });
      // Distinct account labels: series of different accounts can never merge.
      expect(new Set(groups.map((g) => g.labels.account)).size).to.equal(count);
      if (count === 20) {
        const bytes = Buffer.byteLength(rendered, "utf8");
        console.log(`      rendered Promxy config for 20 workspaces: ${bytes} bytes, ${rendered.split("\n").length} lines`);
        expect(bytes).to.be.below(16 * 1024);
      }
    });
  }

  it("assumes the query role when one is given", () => {
    const roleArn = "arn:aws:iam::111122223333:role/promxy-query-prod";
    const groups = serverGroups(renderPromxyConfig({ region: "us-east-1", workspaces: workspaces(2), sigv4Mode: "native", queryRoleArn: roleArn }));
    for (const group of groups) expect(group.http_client.sigv4).to.deep.equal({ region: "us-east-1", role_arn: roleArn });
  });

  it("sends plain HTTP to the signing sidecar in sidecar mode, still one path prefix per workspace", () => {
    const input = workspaces(3);
    const groups = serverGroups(renderPromxyConfig({ region: "eu-central-1", workspaces: input, sigv4Mode: "sidecar" }));
    expect(groups.map((g) => g.static_configs[0].targets)).to.deep.equal([["127.0.0.1:8005"], ["127.0.0.1:8005"], ["127.0.0.1:8005"]]);
    expect(groups.every((g) => g.scheme === "http" && g.http_client.sigv4 === undefined)).to.equal(true);
    expect(groups.map((g) => g.path_prefix)).to.deep.equal(
      [...input].sort((a, b) => a.accountName.localeCompare(b.accountName)).map((w) => `/workspaces/${w.workspaceId}`),
    );
  });

  it("can hide a failing workspace instead of warning", () => {
    const [group] = serverGroups(renderPromxyConfig({ region: "eu-west-1", workspaces: workspaces(1), sigv4Mode: "native", hideWorkspaceErrors: true }));
    expect(group.ignore_error).to.equal(true);
    expect(group.downgrade_error).to.equal(false);
  });

  it("is deterministic whatever the input order", () => {
    const input = workspaces(5);
    const a = renderPromxyConfig({ region: "eu-west-1", workspaces: input, sigv4Mode: "native" });
    const b = renderPromxyConfig({ region: "eu-west-1", workspaces: [...input].reverse(), sigv4Mode: "native" });
    expect(a).to.equal(b);
  });

  it("refuses settings that would produce a wrong or ambiguous config", () => {
    const ok = workspaces(2);
    expect(() => renderPromxyConfig({ region: "eu-west-1", workspaces: [], sigv4Mode: "native" })).to.throw(/no workspaces/);
    expect(() => renderPromxyConfig({ region: "europe", workspaces: ok, sigv4Mode: "native" })).to.throw(/region/);
    expect(() =>
      renderPromxyConfig({ region: "eu-west-1", workspaces: [ok[0], { ...ok[1], accountName: ok[0].accountName }], sigv4Mode: "native" }),
    ).to.throw(/listed twice/);
    expect(() => renderPromxyConfig({ region: "eu-west-1", workspaces: [ok[0], { ...ok[1], workspaceId: ok[0].workspaceId }], sigv4Mode: "native" })).to.throw(
      /listed twice/,
    );
    expect(() => renderPromxyConfig({ region: "eu-west-1", workspaces: [{ accountName: "a", workspaceId: "payments" }], sigv4Mode: "native" })).to.throw(
      /not an AMP workspace id/,
    );
    expect(() => renderPromxyConfig({ region: "eu-west-1", workspaces: ok, sigv4Mode: "native", queryTimeout: "soon" })).to.throw(/queryTimeout/);
    expect(() =>
      renderPromxyConfig({ region: "eu-west-1", workspaces: ok, sigv4Mode: "sidecar", queryRoleArn: "arn:aws:iam::111122223333:role/x" }),
    ).to.throw(/native signing only/);
  });

  it("judges each setting by its whole value: a valid value inside a longer string is refused", () => {
    const ok = workspaces(1);
    const render = (extra: Partial<Parameters<typeof renderPromxyConfig>[0]>) => () => renderPromxyConfig({ region: "eu-west-1", workspaces: ok, sigv4Mode: "native", ...extra });
    for (const region of ["xeu-west-1", "eu-west-1x", "eu-1", "e-west-1"]) expect(render({ region }), region).to.throw(/region/);
    for (const region of ["eu-west-1", "us-gov-west-1", "ap-southeast-2"]) expect(render({ region }), region).to.not.throw();
    for (const workspaceId of ["xws-abc", "ws-abc!", "ws-", `ws-${"a".repeat(65)}`]) {
      expect(render({ workspaces: [{ accountName: "a", workspaceId }] }), workspaceId).to.throw(/not an AMP workspace id/);
    }
    expect(render({ workspaces: [{ accountName: " ", workspaceId: ok[0].workspaceId }] })).to.throw(/empty account name/);
    for (const duration of ["30s later", "about 30s", "s", "1.5s", "30h"]) {
      expect(render({ queryTimeout: duration }), duration).to.throw(/queryTimeout/);
      expect(render({ dialTimeout: duration }), duration).to.throw(/dialTimeout/);
    }
    const [group] = serverGroups(render({ queryTimeout: "120s", dialTimeout: "500ms" })());
    expect([group.timeout, group.http_client.dial_timeout]).to.deep.equal(["120s", "500ms"]);
    for (const queryRoleArn of ["x arn:aws:iam::111122223333:role/q", "arn:aws:iam::111122223333:role/q x", "arn:aws:iam::1111:role/q", "arn:aws:iam::111122223333:user/q"]) {
      expect(render({ queryRoleArn }), queryRoleArn).to.throw(/not an IAM role ARN/);
    }
    const [inChina] = serverGroups(render({ region: "cn-north-1", queryRoleArn: "arn:aws-cn:iam::111122223333:role/q" })());
    expect(inChina.http_client.sigv4).to.deep.equal({ region: "cn-north-1", role_arn: "arn:aws-cn:iam::111122223333:role/q" });
  });
});
