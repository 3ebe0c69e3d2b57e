import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse, stringify } from "yaml";
import {
  alertmanagerConfig,
  alertmanagerTemplates,
  ampAlertmanagerViolations,
  durationSeconds,
  renderAlertmanagerConfig,
  renderAlertmanagerDefinition,
  resolveAlertmanagerSettings,
} from "../../components/alert-pipeline/alertmanager";
import { withSnsEndpoint } from "../alert-path/local-alertmanager";
import { requireTool } from "../support/tools";

const BASE = { region: "eu-west-1", topicArn: "arn:aws:sns:eu-west-1:111122223333:amp-alerts" };
const SETTINGS = resolveAlertmanagerSettings(BASE, {
  teams: { payments: { topicArn: "arn:aws:sns:eu-west-1:111122223333:payments-alerts" }, platform: {}, observability: {} },
});

function amtool(args: string[]): { status: number | null; stdout: string; output: string } {
  const run = spawnSync("amtool", args, { encoding: "utf8", timeout: 20_000 });
  return { status: run.status, stdout: run.stdout, output: `${run.stdout}${run.stderr}` };
}

/** Re-renders a definition after changing its inner config. */
function definitionWith(change: (config: Record<string, any>) => void, templates = alertmanagerTemplates(SETTINGS)): string {
  const config = parse(renderAlertmanagerConfig(SETTINGS)) as Record<string, any>;
  change(config);
  return stringify({ template_files: templates, alertmanager_config: stringify(config) });
}

describe("AMP alertmanager definition", function () {
  describe("under amtool", function () {
    const dirs: string[] = [];

    before(function () {
      requireTool(this, "amtool", "prometheus-alertmanager");
    });

    /**
     * Exactly what AMP holds: the inner config, and the template files under their names beside
     * it. Rendered by each test rather than in before(), so mutation testing sees which test
     * exercised the renderer.
     */
    function renderedConfigFile(): string {
      const dir = mkdtempSync(join(tmpdir(), "am-definition-"));
      dirs.push(dir);
      const configFile = join(dir, "alertmanager.yml");
      const definition = parse(renderAlertmanagerDefinition(SETTINGS)) as { template_files: Record<string, string>; alertmanager_config: string };
      writeFileSync(configFile, definition.alertmanager_config);
      for (const [name, text] of Object.entries(definition.template_files)) writeFileSync(join(dir, name), text);
      return configFile;
    }

    after(function () {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it("passes amtool check-config, templates included", function () {
      const run = amtool(["check-config", renderedConfigFile()]);
      expect(run.status, run.output).to.equal(0);
      expect(run.output).to.contain("1 templates");
      expect(run.output).to.not.contain("FAILED");
    });

    const routing: [string[], string][] = [
      [["team=payments", "severity=critical"], "team-payments"],
      [["team=platform", "severity=warning"], "team-platform"],
      [["team=observability", "severity=info"], "team-observability"],
      [["team=someone-else", "severity=critical"], "team-unassigned"],
      [["severity=warning"], "team-unassigned"],
    ];
    for (const [labels, receiver] of routing) {
      it(`routes {${labels.join(", ")}} to ${receiver}`, function () {
        const run = amtool(["config", "routes", "test", `--config.file=${renderedConfigFile()}`, `--verify.receivers=${receiver}`, ...labels]);
        expect(run.status, run.output).to.equal(0);
        expect(run.stdout.trim()).to.equal(receiver);
      });
    }
  });

  it("is an AMP document: template_files and alertmanager_config as a literal block", function () {
    const text = renderAlertmanagerDefinition(SETTINGS);
    expect(text).to.match(/^alertmanager_config: \|/m);
    const definition = parse(text) as Record<string, unknown>;
    expect(Object.keys(definition)).to.deep.equal(["template_files", "alertmanager_config"]);
    expect(definition.alertmanager_config).to.equal(renderAlertmanagerConfig(SETTINGS));
    expect(definition.template_files).to.deep.equal(alertmanagerTemplates(SETTINGS));
  });

  it("meets AMP's restrictions", function () {
    expect(ampAlertmanagerViolations(renderAlertmanagerDefinition(SETTINGS))).to.deep.equal([]);
    expect(ampAlertmanagerViolations(renderAlertmanagerDefinition(resolveAlertmanagerSettings(BASE)))).to.deep.equal([]);
  });

  it("publishes only through SNS with sigv4.region, a short subject, the JSON message and resolutions", function () {
    const config = alertmanagerConfig(SETTINGS) as { receivers: { name: string; sns_configs: Record<string, any>[] }[] };
    expect(config.receivers.map((r) => r.name)).to.deep.equal(["team-unassigned", "team-observability", "team-payments", "team-platform"]);
    for (const receiver of config.receivers) {
      expect(Object.keys(receiver)).to.deep.equal(["name", "sns_configs"]);
      for (const sns of receiver.sns_configs) {
        expect(sns.sigv4).to.deep.equal({ region: "eu-west-1" });
        expect(sns.send_resolved).to.equal(true);
        expect(sns.subject).to.equal('{{ template "sns.notifier.subject" . }}');
        expect(sns.message).to.equal('{{ template "sns.notifier.message" . }}');
        expect(sns).to.not.have.any.keys("api_url", "http_config");
      }
    }
    expect(config.receivers.find((r) => r.name === "team-payments")!.sns_configs[0].topic_arn).to.equal("arn:aws:sns:eu-west-1:111122223333:payments-alerts");
    expect(config.receivers.find((r) => r.name === "team-platform")!.sns_configs[0].topic_arn).to.equal(BASE.topicArn);
  });

  it("groups by alertname, account and cluster, and lets critical silence warning of the same alert", function () {
    const config = alertmanagerConfig(SETTINGS) as Record<string, any>;
    expect(config.route.group_by).to.deep.equal(["alertname", "account", "cluster"]);
    expect(config.inhibit_rules[0]).to.deep.equal({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ["alertname", "account", "cluster"],
    });
    const repeats = JSON.stringify(config).match(/"repeat_interval":"[^"]+"/g)!.map((entry) => durationSeconds(entry.split(":")[1].replace(/"/g, "")));
    expect(Math.max(...repeats)).to.be.at.most(5 * 86400);
  });

  it("lets warning silence info only of the same alert, account and cluster", function () {
    const config = parse(renderAlertmanagerConfig(SETTINGS)) as { inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[] };
    expect(config.inhibit_rules[1]).to.deep.equal({
      source_matchers: ['severity="warning"'],
      target_matchers: ['severity="info"'],
      equal: ["alertname", "account", "cluster"],
    });
    // Alertmanager's inhibition, for the matcher forms the config uses: `l="v"` and `l=~"re"` (anchored).
    const matches = (matcher: string, labels: Record<string, string>) => {
      const [, label, op, value] = /^(\w+)(=~|=)"(.*)"$/.exec(matcher)!;
      return op === "=" ? labels[label] === value : new RegExp(`^(?:${value})$`).test(labels[label] ?? "");
    };
    const inhibits = (source: Record<string, string>, target: Record<string, string>) =>
      config.inhibit_rules.some((rule) => rule.source_matchers.every((m) => matches(m, source)) && rule.target_matchers.every((m) => matches(m, target)) &&
        rule.equal.every((label) => source[label] === target[label]));
    const alert = (account: string, severity: string) => ({ alertname: "HighLatency", account, cluster: "main", severity });
    expect(inhibits(alert("payments", "warning"), alert("payments", "info"))).to.equal(true);
    expect(inhibits(alert("payments", "warning"), alert("orders", "info"))).to.equal(false);
    expect(inhibits(alert("payments", "warning"), { ...alert("payments", "info"), cluster: "other" })).to.equal(false);
    expect(inhibits(alert("payments", "warning"), { ...alert("payments", "info"), alertname: "Other" })).to.equal(false);
    expect(inhibits(alert("payments", "critical"), alert("orders", "warning"))).to.equal(false);
  });

  it("refuses a global sns_api_url (AMP publishes to SNS itself)", function () {
    expect(ampAlertmanagerViolations(definitionWith((c) => (c.global = { sns_api_url: "http://127.0.0.1:1" })))).to.deep.equal([
      "alertmanager_config.global.sns_api_url is not allowed by AMP",
    ]);
  });

  it("reports what AMP would refuse", function () {
    const violations = (change: (config: Record<string, any>) => void) => ampAlertmanagerViolations(definitionWith(change));
    expect(violations((c) => (c.receivers[0].sns_configs[0].api_url = "http://127.0.0.1:1"))).to.deep.equal([
      "alertmanager_config.receivers[0].sns_configs[0].api_url is not allowed by AMP",
    ]);
    expect(violations((c) => (c.global = { http_config: { proxy_url: "http://proxy" } }))).to.deep.equal(["alertmanager_config.global.http_config is not allowed by AMP"]);
    expect(violations((c) => (c.receivers[1] = { name: "team-observability", webhook_configs: [{ url: "http://x" }] }))).to.deep.equal([
      "receivers[1] (team-observability) uses webhook_configs: AMP supports only sns_configs",
      "receivers[1] (team-observability) has no sns_configs",
    ]);
    expect(violations((c) => delete c.receivers[2].sns_configs[0].sigv4)).to.deep.equal(["receivers[2].sns_configs[0] has no sigv4.region"]);
    expect(violations((c) => (c.route.routes[0].routes[0].repeat_interval = "6d"))).to.deep.equal(["route.routes[0].routes[0].repeat_interval 6d is above AMP's 5 days"]);
    expect(violations((c) => (c.receivers[0].sns_configs[0].topic_arn += ".fifo"))).to.deep.equal(["receivers[0].sns_configs[0] needs the topic_arn of a Standard topic"]);
    expect(ampAlertmanagerViolations(definitionWith(() => undefined, {}))).to.deep.equal(["template sns_notifier_json is referenced but not in template_files"]);
    expect(ampAlertmanagerViolations("alertmanager_config: {}\n")).to.deep.equal(["alertmanager_config must be the Alertmanager YAML as a string"]);
  });

  it("refuses settings AMP would refuse, naming the key", function () {
    expect(() => resolveAlertmanagerSettings(BASE, { timing: { repeatInterval: "6d" } })).to.throw(/above AMP's limit of 5 days/);
    expect(() => resolveAlertmanagerSettings({ ...BASE, topicArn: "arn:aws:sns:us-east-1:111122223333:amp-alerts" })).to.throw(/not in the workspace's region eu-west-1/);
    expect(() => resolveAlertmanagerSettings({ ...BASE, topicArn: `${BASE.topicArn}.fifo` })).to.throw(/Standard SNS topic/);
    expect(() => resolveAlertmanagerSettings(BASE, { teams: { "bad team": {} } }, "alerting.alertmanager")).to.throw(/alerting\.alertmanager\.teams/);
    expect(() => resolveAlertmanagerSettings(BASE, { teams: { unassigned: {} } })).to.throw(/fallbackTeam "unassigned" is also a routed team/);
    expect(() => resolveAlertmanagerSettings(BASE, { groupBy: ["cluster"] })).to.throw(/groupBy must include alertname/);
  });

  it("times notifications per severity under every team and for the fallback, as configured", function () {
    const timed = resolveAlertmanagerSettings(BASE, {
      teams: { payments: {} },
      timing: { groupWait: "45s", groupInterval: "10m", repeatInterval: "6h" },
      severityTiming: { warning: { groupInterval: "2m" } },
    });
    const config = alertmanagerConfig(timed) as { route: Record<string, any> };
    expect(config.route).to.include({ receiver: "team-unassigned", group_wait: "45s", group_interval: "10m", repeat_interval: "6h" });
    const bySeverity = [
      { matchers: ['severity="critical"'], group_wait: "10s", repeat_interval: "1h" },
      { matchers: ['severity="warning"'], group_interval: "2m" },
      { matchers: ['severity="info"'], repeat_interval: "24h" },
    ];
    expect(config.route.routes).to.deep.equal([{ receiver: "team-payments", matchers: ['team="payments"'], routes: bySeverity }, ...bySeverity]);
    // Only the timing that is set is written: Alertmanager inherits the rest from the parent route.
    const untimed = alertmanagerConfig({ ...timed, severityTiming: { critical: { repeatInterval: "2h" } } }) as { route: Record<string, any> };
    expect(untimed.route.routes).to.deep.equal([
      { receiver: "team-payments", matchers: ['team="payments"'], routes: [{ matchers: ['severity="critical"'], repeat_interval: "2h" }] },
      { matchers: ['severity="critical"'], repeat_interval: "2h" },
    ]);
    const noSeverityTiming = alertmanagerConfig({ ...timed, severityTiming: {} }) as { route: Record<string, any> };
    expect(noSeverityTiming.route.routes).to.deep.equal([{ receiver: "team-payments", matchers: ['team="payments"'] }]);
  });

  it("labels each SNS message with team, severity and status for subscription filters, and quotes any team name", function () {
    const config = alertmanagerConfig(SETTINGS) as { receivers: { name: string; sns_configs: Record<string, any>[] }[]; route: Record<string, any> };
    const payments = config.receivers.find((r) => r.name === "team-payments")!.sns_configs[0];
    expect(payments.attributes.team).to.equal("payments");
    expect(payments.attributes.severity).to.match(/^\{\{ or \.CommonLabels\.severity "none" \| reReplaceAll "\[\^ -~\]" "\?" \}\}$/);
    expect(payments.attributes.status).to.match(/^\{\{ \.Status \| reReplaceAll/);
    expect(config.route.routes.map((r: { matchers: string[] }) => r.matchers[0])).to.include('team="payments"');
  });

  it("refuses settings that were not validated, before rendering anything", function () {
    expect(() => alertmanagerConfig({ ...SETTINGS, topicArn: "arn:aws:sns:us-east-1:111122223333:elsewhere" })).to.throw(/not in the workspace's region/);
  });

  it("reports every other shape AMP would refuse, and accepts exactly 5 days of repeat_interval", function () {
    const violations = (change: (config: Record<string, any>) => void) => ampAlertmanagerViolations(definitionWith(change));
    expect(ampAlertmanagerViolations("- a list\n")).to.deep.equal(["the definition is not a YAML mapping"]);
    expect(ampAlertmanagerViolations(`${definitionWith(() => undefined)}extra: 1\n`)).to.deep.equal(["unexpected root keys: extra"]);
    expect(ampAlertmanagerViolations(stringify({ template_files: {}, alertmanager_config: "- a\n" }))).to.deep.equal(["alertmanager_config is not a YAML mapping"]);
    expect(ampAlertmanagerViolations(stringify({ alertmanager_config: stringify({ route: { receiver: "x" } }) }))).to.deep.equal(["alertmanager_config has no receivers"]);
    expect(violations((c) => delete c.route)).to.deep.equal(["alertmanager_config has no route"]);
    expect(violations((c) => (c.receivers[0] = "team-unassigned"))).to.deep.equal(["receivers[0] is not a mapping"]);
    expect(violations((c) => (c.receivers[0].sns_configs = ["topic"]))).to.deep.equal(["receivers[0].sns_configs[0] is not a mapping"]);
    expect(violations((c) => (c.receivers[0].sns_configs[0].sigv4 = { region: "" }))).to.deep.equal(["receivers[0].sns_configs[0] has no sigv4.region"]);
    expect(violations((c) => (c.receivers[0].sns_configs[0].sigv4 = { region: 5 }))).to.deep.equal(["receivers[0].sns_configs[0] has no sigv4.region"]);
    expect(violations((c) => (c.receivers[0].sns_configs[0].sigv4 = ["eu-west-1"]))).to.deep.equal(["receivers[0].sns_configs[0] has no sigv4.region"]);
    expect(violations((c) => (c.route.routes = { repeat_interval: "6d" }))).to.deep.equal([]);
    expect(violations((c) => delete c.receivers[0].sns_configs[0].topic_arn)).to.deep.equal(["receivers[0].sns_configs[0] needs the topic_arn of a Standard topic"]);
    expect(violations((c) => (c.route.repeat_interval = "soon"))).to.deep.equal(['route.repeat_interval "soon" is not a duration']);
    expect(violations((c) => (c.route.repeat_interval = "5d"))).to.deep.equal([]);
    expect(violations((c) => (c.route.repeat_interval = "120h1m"))).to.deep.equal(["route.repeat_interval 120h1m is above AMP's 5 days"]);
    expect(violations((c) => (c.templates = [7]))).to.deep.equal(["template 7 is referenced but not in template_files"]);
    expect(violations((c) => (c.receivers[1].sns_configs[0].http_config = {}))).to.deep.equal(["alertmanager_config.receivers[1].sns_configs[0].http_config is not allowed by AMP"]);
    expect(violations(() => undefined)).to.deep.equal([]);
  });

  it("local runs change nothing but the SNS endpoint", function () {
    const local = withSnsEndpoint(renderAlertmanagerConfig(SETTINGS), "http://127.0.0.1:9999") as { receivers: { sns_configs: Record<string, unknown>[] }[] };
    for (const receiver of local.receivers) for (const sns of receiver.sns_configs) {
      expect(sns.api_url).to.equal("http://127.0.0.1:9999");
      delete sns.api_url;
    }
    expect(local).to.deep.equal(parse(renderAlertmanagerConfig(SETTINGS)));
  });
});
