import { expect } from "chai";
import { createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { Sinks, startSinks } from "../support/sinks";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import { allDestinationsConfig, captureLogger, memorySecretSource, sinkSecrets } from "./harness";

const INJECTION = {
  summary: "<!channel> <@U024BE7LH> *pwned* <https://evil.example|click me>",
  description: '<script>alert(1)</script> & [docs](https://evil.example) <!here> ```code``` "quotes" \\ back\nslash',
  runbook_url: "javascript:alert(1)",
};

describe("notifier under hostile input", () => {
  let sinks: Sinks;
  beforeEach(async () => {
    sinks = await startSinks();
  });
  afterEach(() => sinks.close());

  function notifier(logger = captureLogger()) {
    return createNotifier({ config: allDestinationsConfig(), secrets: memorySecretSource(sinkSecrets(sinks)), logger });
  }

  it("renders nothing unescaped into Slack: no mentions, links or HTML from annotations", async () => {
    const alert = ampAlert({
      labels: { ...ampAlert().labels, alertname: "Evil<!everyone>", cluster: "<#C024BE7LR>" },
      annotations: INJECTION,
    });
    const result = await notifier().handle(snsEvent(JSON.stringify(ampMessage([alert]))));
    expect(result.ok).to.equal(true);
    const [request] = sinks.accepted("slack");
    // Nothing of ours emits <...> links (links are buttons), so any raw bracket would be injected.
    expect(request.body).not.to.match(/[<>]/);
    expect(request.body).not.to.include("\\u003c");
    const message = request.json as { text: string; blocks: Array<Record<string, any>> };
    const section = message.blocks.find((block) => block.type === "section")!;
    expect(section.text.text).to.include("&lt;!channel&gt; &lt;@U024BE7LH&gt;");
    expect(section.text.text).to.include("&lt;script&gt;alert(1)&lt;/script&gt; &amp; [docs](https://evil.example) &lt;!here&gt;");
    expect(section.text.verbatim).to.equal(true);
    expect(message.text).to.include("Evil&lt;!everyone&gt;");
    const buttons = message.blocks.filter((block) => block.type === "actions").flatMap((block) => block.elements);
    expect(buttons.map((button: { url: string }) => button.url)).to.deep.equal([ampAlert().generatorURL]);
  });

  it("dead-letters JSON it cannot read, with the raw message in the log", async () => {
    const logger = captureLogger();
    const raw = '{"version":"1","alerts":[{"labels": {"alertname" "NoColon"}}]}';
    const result = await notifier(logger).handle(snsEvent(raw));
    expect(result.ok).to.equal(false);
    expect(result.alerts).to.deep.equal([]);
    expect(result.malformed).to.deep.equal([
      { location: "event.Records[0].Sns.Message", reason: "message is neither JSON nor Alertmanager's text template", size: raw.length, excerpt: raw },
    ]);
    const logged = logger.lines.find((line) => line.level === "error" && line.msg.startsWith("malformed input"));
    expect(logged?.fields.excerpt).to.equal(raw);
    expect(sinks.received.slack).to.have.length(0);
  });

  it("delivers an alert with a 300 KB annotation within every destination's limits", async () => {
    const huge = "x".repeat(300 * 1024);
    const alert = ampAlert({ labels: { ...ampAlert().labels, severity: "critical" }, annotations: { summary: huge, description: huge } });
    const message = JSON.stringify(ampMessage([alert]));
    expect(message.length).to.be.greaterThan(600 * 1024);
    const result = await notifier().handle(snsEvent(message));
    expect(result.ok, JSON.stringify(result.alerts[0].destinations)).to.equal(true);
    const slack = sinks.accepted("slack")[0].json as { text: string; blocks: Array<Record<string, any>> };
    expect(slack.blocks[0].text.text.length).to.be.at.most(150);
    expect(slack.blocks[1].text.text.length).to.be.at.most(3000);
    const pagerduty = sinks.accepted("pagerduty")[0].json as { payload: { summary: string; custom_details: { description: string } } };
    expect(Array.from(pagerduty.payload.summary).length).to.be.at.most(1024);
    expect(pagerduty.payload.custom_details.description.length).to.be.at.most(4096);
    const jira = sinks.accepted("jira").find((r) => r.path.endsWith("/issue"))!.json as { fields: { summary: string } };
    expect(jira.fields.summary.length).to.be.at.most(255);
  });

  it("logs a bounded excerpt of a huge unreadable message and keeps its size", async () => {
    const logger = captureLogger();
    const garbage = "garbage ".repeat(40 * 1024);
    const result = await notifier(logger).handle(snsEvent(garbage));
    expect(result.malformed).to.have.length(1);
    expect(result.malformed[0].size).to.equal(garbage.length);
    expect(result.malformed[0].excerpt.length).to.be.below(3000);
    expect(result.malformed[0].excerpt).to.match(/characters omitted/);
  });

  it("does not crash on unknown event shapes and reports each one", async () => {
    const shapes: unknown[] = [undefined, 42, [], { foo: "bar" }, { Records: [{}] }, { Records: [{ eventSource: "aws:sqs", body: "{not json" }] }];
    for (const shape of shapes) {
      const result = await notifier().handle(shape);
      expect(result.ok, String(JSON.stringify(shape))).to.equal(false);
      expect(result.malformed, String(JSON.stringify(shape))).to.have.length(1);
    }
    expect(sinks.received.slack.length + sinks.received.pagerduty.length).to.equal(0);
  });

  it("delivers what it can read from a batch and still fails the batch for what it cannot", async () => {
    const event = {
      Records: [snsEvent(JSON.stringify(ampMessage([ampAlert()]))).Records[0], snsEvent("%%% not an alert %%%").Records[0]],
    };
    const result = await notifier().handle(event);
    expect(result.delivered).to.equal(1);
    expect(result.malformed.map((m) => m.location)).to.deep.equal(["event.Records[1].Sns.Message"]);
    expect(result.ok).to.equal(false);
  });
});
