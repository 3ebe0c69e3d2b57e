/**
 * The JSON message template proven with the real Alertmanager: alerts whose labels and
 * annotations hold quotes, backslashes, newlines, control characters, HTML, template
 * syntax and unicode go through Alertmanager's SNS notifier (signed, to the loopback SNS
 * stub), and every message parses as JSON with every value intact.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AmpAlertMessage } from "../../components/alert-pipeline/notifier/amp-message";
import { resolveAlertmanagerSettings } from "../../components/alert-pipeline/alertmanager";
import { LocalAlertmanager, postAlerts, startLocalAlertmanager } from "../alert-path/local-alertmanager";
import { waitFor } from "../alert-path/processes";
import { SnsStub, startSnsStub } from "../alert-path/sns-stub";
import { requireTool } from "../support/tools";

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:amp-alerts";

/** Values no JSON-unaware template survives. */
const HOSTILE: Record<string, string> = {
  quotes: 'say "hi" and \'bye\'',
  backslashes: "C:\\path\\to\\ and a trailing \\",
  escapedQuote: "already \\\" escaped \\' twice \\\\'",
  newlines: "line one\nline two\r\n\tindented",
  controls: "nul\u0000 bell\u0007 vtab\u000b esc\u001b del\u007f",
  html: "<script>alert('x')</script> & <b>bold</b> a=b",
  goTemplate: '{{ .Labels }} {{ template "x" }} %q %s %!v',
  jsonBreakout: '","injected":{"x":1},"a":"',
  unicode: "Grüße – 日本語 😀 \u00a0nbsp \u2028ls \u2029ps \u200bzwsp",
  // Non-printable characters above U+FFFF: the template writes U+FFFD for them.
  astral: "tag\u{E0001}private\u{F0000}end",
  long: `${"long-".repeat(60)}end`,
};

/** What the notifier must read back for each value. */
function expected(value: string): string {
  return value.replace(/[\u{E0001}\u{F0000}]/gu, "\uFFFD");
}

describe("alertmanager message template under the real Alertmanager", function () {
  this.timeout(60_000);
  let running: { dir: string; sns?: SnsStub; alertmanager?: LocalAlertmanager } | undefined;

  before(function () {
    requireTool(this, "prometheus-alertmanager", "prometheus-alertmanager");
  });

  /**
   * A fresh SNS stub and Alertmanager with the rendered config, started by each test rather
   * than in before(), so mutation testing sees which test exercised the template.
   */
  async function start(): Promise<{ sns: SnsStub; alertmanager: LocalAlertmanager }> {
    running = { dir: mkdtempSync(join(tmpdir(), "am-hostile-")) };
    const sns = (running.sns = await startSnsStub({ credentials: CREDENTIALS }));
    const settings = resolveAlertmanagerSettings(
      { region: "eu-west-1", topicArn: TOPIC },
      { teams: { platform: {} }, timing: { groupWait: "1s", groupInterval: "1s" }, severityTiming: { critical: { groupWait: "1s" } }, maxAlertsPerMessage: 4 },
    );
    const alertmanager = (running.alertmanager = await startLocalAlertmanager(running.dir, settings, sns.url, CREDENTIALS));
    return { sns, alertmanager };
  }

  afterEach(async function () {
    await running?.alertmanager?.process.stop();
    await running?.sns?.close();
    if (running) rmSync(running.dir, { recursive: true, force: true });
    running = undefined;
  });

  it("emits valid JSON carrying every hostile label and annotation value intact", async function () {
    const { sns, alertmanager } = await start();
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    // One group per value: the value is the cluster, a group label, so it reaches the subject too.
    await postAlerts(
      alertmanager.url,
      Object.entries(HOSTILE).map(([name, value]) => ({
        labels: { alertname: "HostileValues", account: "acme-payments", cluster: value, case: name, team: "platform", severity: "critical" },
        annotations: { summary: value, description: `${name}: ${value}`, runbook_url: "https://runbooks.example.org/#hostile" },
        startsAt,
        generatorURL: `http://prometheus.local/graph?g0.expr=${encodeURIComponent(value)}`,
      })),
    );
    const count = Object.keys(HOSTILE).length;
    await waitFor(`${count} SNS messages`, () => (sns.published.length + sns.rejected.length >= count ? true : undefined), 30_000);
    expect(sns.rejected, "SNS refused a publish (subject or attributes)").to.deep.equal([]);

    const seen = new Set<string>();
    for (const publish of sns.published) {
      let message: AmpAlertMessage;
      try {
        message = JSON.parse(publish.message) as AmpAlertMessage;
      } catch (error) {
        throw new Error(`message is not JSON (${(error as Error).message}):\n${publish.message}`);
      }
      expect(message.version).to.equal("1");
      expect(message.status).to.equal("firing");
      expect(message.receiver).to.equal("team-platform");
      expect(message.alerts).to.have.length(1);
      const [alert] = message.alerts;
      const name = alert.labels.case;
      const value = HOSTILE[name];
      expect(value, `unknown case ${name}`).to.be.a("string");
      seen.add(name);
      expect(alert.labels).to.deep.equal({ alertname: "HostileValues", account: "acme-payments", cluster: expected(value), case: name, team: "platform", severity: "critical" });
      expect(alert.annotations).to.deep.equal({ summary: expected(value), description: expected(`${name}: ${value}`), runbook_url: "https://runbooks.example.org/#hostile" });
      expect(message.groupLabels).to.deep.equal({ alertname: "HostileValues", account: "acme-payments", cluster: expected(value) });
      expect(message.commonAnnotations.summary).to.equal(expected(value));
      expect(message.commonLabels).to.deep.equal(alert.labels);
      expect(alert.generatorURL).to.equal(`http://prometheus.local/graph?g0.expr=${encodeURIComponent(value)}`);
      expect(alert.fingerprint).to.match(/^[0-9a-f]{16}$/);
      // Go prints RFC 3339 with trailing zeros of the fraction removed (".230Z" -> ".23Z").
      expect(new Date(alert.startsAt).toISOString()).to.equal(new Date(startsAt).toISOString());
      expect(alert.startsAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/);
      expect(alert.endsAt).to.equal("0001-01-01T00:00:00Z");
      expect(message.groupKey).to.be.a("string").and.contain("team-platform:{");
      expect(message.externalURL).to.equal(alertmanager.url);
      expect(publish.subject).to.match(/^\[FIRING:1\] HostileValues acme-payments\//);
      expect(publish.messageAttributes).to.deep.equal({
        team: { DataType: "String", StringValue: "platform" },
        severity: { DataType: "String", StringValue: "critical" },
        status: { DataType: "String", StringValue: "firing" },
      });
      expect(publish.topicArn).to.equal(TOPIC);
    }
    expect([...seen].sort()).to.deep.equal(Object.keys(HOSTILE).sort());
  });

  it("writes at most maxAlertsPerMessage alerts and counts the rest", async function () {
    const { sns, alertmanager } = await start();
    const before = sns.published.length;
    await postAlerts(
      alertmanager.url,
      Array.from({ length: 6 }, (_, i) => ({
        labels: { alertname: "ManyPods", account: "acme-payments", cluster: "blue", pod: `api-${i}`, team: "platform", severity: "warning" },
        annotations: { summary: `pod api-${i}` },
      })),
    );
    const publish = await waitFor("the ManyPods message", () => sns.published.slice(before).find((p) => p.message.includes("ManyPods")), 20_000);
    const message = JSON.parse(publish.message) as AmpAlertMessage & { totalAlerts: number };
    expect(message.totalAlerts).to.equal(6);
    expect(message.alerts).to.have.length(4);
    expect(publish.subject).to.equal("[FIRING:6] ManyPods acme-payments/blue");
    // Alertmanager's own group key form: the receiver, then the group labels (alertname first, as SortedPairs orders them).
    expect(message.groupKey).to.equal('team-platform:{alertname="ManyPods",account="acme-payments",cluster="blue"}');
  });
});
