import { expect } from "chai";
import { readLambdaEvent } from "../../components/alert-pipeline/notifier/inbound";
import { Notifier, createNotifier } from "../../components/alert-pipeline/notifier/notifier";
import { Sinks, startSinks } from "../support/sinks";
import { ampAlert, ampMessage, snsEvent } from "./fixtures";
import { JIRA_AUTH, PAGERDUTY_ROUTING_KEY, WEBHOOK_TOKEN, allDestinationsConfig, captureLogger, memorySecretSource, sinkSecrets } from "./harness";

const CRITICAL = ampAlert({ labels: { ...ampAlert().labels, severity: "critical" } });
const RESOLVED = { ...CRITICAL, status: "resolved" as const, endsAt: "2024-05-01T10:30:00Z" };

describe("notifier destinations: exact requests", () => {
  let sinks: Sinks;
  let notifier: Notifier;

  beforeEach(async () => {
    sinks = await startSinks({ jiraAuth: JIRA_AUTH });
    notifier = createNotifier({ config: allDestinationsConfig(), secrets: memorySecretSource(sinkSecrets(sinks)), logger: captureLogger() });
  });

  afterEach(() => sinks.close());

  it("posts Block Kit to the Slack webhook", async () => {
    const result = await notifier.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL]))));
    expect(result.ok).to.equal(true);
    const [request] = sinks.accepted("slack");
    expect(request.headers["content-type"]).to.equal("application/json");
    expect(request.json).to.deep.equal({
      text: "🚨 FIRING: KubePodCrashLooping — Pod api-7d9f is crash looping",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "🚨 FIRING: KubePodCrashLooping — Pod api-7d9f is crash looping", emoji: true } },
        {
          type: "section",
          text: { type: "mrkdwn", text: "🚨 *FIRING* · *Pod api-7d9f is crash looping*\nPod payments/api-7d9f restarted 5 times in 10 minutes.", verbatim: true },
          fields: [
            { type: "mrkdwn", text: "*Alert*\nKubePodCrashLooping", verbatim: true },
            { type: "mrkdwn", text: "*Severity*\ncritical", verbatim: true },
            { type: "mrkdwn", text: "*Team*\npayments", verbatim: true },
            { type: "mrkdwn", text: "*Account*\n111111111111", verbatim: true },
            { type: "mrkdwn", text: "*Cluster*\nprod-1", verbatim: true },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "fingerprint 9c6c11e994b31c3f · amp via sns · since 2024-05-01T10:00:00.000Z", verbatim: true }] },
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "Runbook" }, url: "https://runbooks.example.com/KubePodCrashLooping" },
            { type: "button", text: { type: "plain_text", text: "Source" }, url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up" },
          ],
        },
      ],
    });
  });

  it("triggers, then resolves, the PagerDuty event with the fingerprint as dedup_key", async () => {
    await notifier.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL]))));
    await notifier.handle(snsEvent(JSON.stringify(ampMessage([RESOLVED], "resolved"))));
    const [trigger, resolve] = sinks.accepted("pagerduty").map((request) => request.json);
    expect(trigger).to.deep.equal({
      routing_key: PAGERDUTY_ROUTING_KEY,
      event_action: "trigger",
      dedup_key: "9c6c11e994b31c3f",
      payload: {
        summary: "KubePodCrashLooping: Pod api-7d9f is crash looping",
        source: "prod-1",
        severity: "critical",
        group: "payments",
        class: "KubePodCrashLooping",
        timestamp: "2024-05-01T10:00:00.000Z",
        custom_details: {
          description: "Pod payments/api-7d9f restarted 5 times in 10 minutes.",
          runbook_url: "https://runbooks.example.com/KubePodCrashLooping",
          team: "payments",
          account: "111111111111",
          region: "",
          cluster: "prod-1",
          source: "amp via sns",
          labels: CRITICAL.labels,
          annotations: CRITICAL.annotations,
        },
      },
      client: "AlertPipeline",
      client_url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up",
      links: [{ href: "https://runbooks.example.com/KubePodCrashLooping", text: "Runbook" }],
    });
    expect(resolve).to.deep.equal({ routing_key: PAGERDUTY_ROUTING_KEY, event_action: "resolve", dedup_key: "9c6c11e994b31c3f" });
  });

  it("creates one Jira issue per fingerprint, then comments on it, with basic auth", async () => {
    const first = await notifier.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL]))));
    const second = await notifier.handle(snsEvent(JSON.stringify(ampMessage([RESOLVED], "resolved"))));
    const jiraOutcome = (result: typeof first) => result.alerts[0].destinations.find((d) => d.type === "jira");
    expect(jiraOutcome(first)).to.include({ status: "delivered", action: "created", attempts: 2 });
    expect(jiraOutcome(second)).to.include({ status: "delivered", action: "commented", attempts: 2 });

    const requests = sinks.accepted("jira");
    expect(requests.map((r) => r.path)).to.deep.equal([
      "/jira/rest/api/3/search/jql",
      "/jira/rest/api/3/issue",
      "/jira/rest/api/3/search/jql",
      "/jira/rest/api/3/issue/PAY-1/comment",
    ]);
    expect(requests[0].json).to.deep.equal({
      jql: 'project = "PAY" AND labels = "alert-9c6c11e994b31c3f" AND statusCategory != Done ORDER BY created DESC',
      fields: ["summary", "status"],
      maxResults: 1,
    });
    const created = requests[1].json as { fields: Record<string, any> };
    expect(created.fields.project).to.deep.equal({ key: "PAY" });
    expect(created.fields.issuetype).to.deep.equal({ name: "Incident" });
    expect(created.fields.summary).to.equal("KubePodCrashLooping: Pod api-7d9f is crash looping");
    expect(created.fields.labels).to.deep.equal(["alert-9c6c11e994b31c3f", "alertpipeline"]);
    expect(created.fields.description.content.slice(0, 2)).to.deep.equal([
      { type: "paragraph", content: [{ type: "text", text: "FIRING: Pod api-7d9f is crash looping", marks: [{ type: "strong" }] }] },
      { type: "paragraph", content: [{ type: "text", text: "Pod payments/api-7d9f restarted 5 times in 10 minutes." }] },
    ]);
    expect(created.fields.description.content[3]).to.deep.equal({
      type: "paragraph",
      content: [
        { type: "text", text: "Runbook", marks: [{ type: "link", attrs: { href: "https://runbooks.example.com/KubePodCrashLooping" } }] },
        { type: "text", text: " · " },
        { type: "text", text: "Source", marks: [{ type: "link", attrs: { href: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/graph?g0.expr=up" } }] },
      ],
    });
    expect(sinks.jiraIssues).to.have.length(1);
    expect(sinks.jiraIssues[0].comments).to.have.length(1);
    expect(JSON.stringify(sinks.jiraIssues[0].comments[0])).to.include("RESOLVED: Pod api-7d9f is crash looping");
  });

  it("opens a new Jira issue when the previous one is done, and does not open one for a resolution", async () => {
    const resolvedOnly = await notifier.handle(snsEvent(JSON.stringify(ampMessage([RESOLVED], "resolved"))));
    expect(resolvedOnly.alerts[0].destinations.find((d) => d.type === "jira")).to.include({ action: "no-open-issue", status: "delivered" });
    expect(sinks.jiraIssues).to.have.length(0);
    await notifier.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL]))));
    sinks.jiraIssues[0].statusCategory = "Done";
    await notifier.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL]))));
    expect(sinks.jiraIssues.map((issue) => issue.key)).to.deep.equal(["PAY-1", "PAY-2"]);
  });

  it("posts the normalised alert to the generic webhook with the secret's headers", async () => {
    const event = snsEvent(JSON.stringify(ampMessage([CRITICAL])));
    await notifier.handle(event);
    const [request] = sinks.accepted("webhook");
    expect(request.headers.authorization).to.equal(WEBHOOK_TOKEN);
    expect(request.json).to.deep.equal(JSON.parse(JSON.stringify(readLambdaEvent(event).alerts[0].alert)));
  });

  it("routes by team, severity and source, and fails an alert no destination takes", async () => {
    const config = allDestinationsConfig();
    config.destinations = config.destinations.filter((d) => d.type !== "slack" && d.type !== "webhook");
    const routed = createNotifier({ config, secrets: memorySecretSource(sinkSecrets(sinks)), logger: captureLogger() });
    const warning = ampAlert({ labels: { ...ampAlert().labels, team: "search", severity: "warning" }, fingerprint: "00000000000000ff" });
    const result = await routed.handle(snsEvent(JSON.stringify(ampMessage([CRITICAL, warning]))));
    expect(result.alerts[0].destinations.map((d) => d.destination).sort()).to.deep.equal(["jira-payments", "pagerduty-oncall"]);
    expect(result.alerts[1]).to.include({ delivered: false, unrouted: "no destination matches team=search severity=warning source=amp" });
    expect(result.ok).to.equal(false);
    expect(result.failed).to.equal(1);
  });

  it("splits a large group into Slack messages within 50 blocks, one outcome per alert", async () => {
    const alerts = Array.from({ length: 23 }, (_, i) => ampAlert({ fingerprint: i.toString(16).padStart(16, "0"), labels: { ...ampAlert().labels, pod: `api-${i}` } }));
    const result = await notifier.handle(snsEvent(JSON.stringify(ampMessage(alerts))));
    expect(result.delivered).to.equal(23);
    const messages = sinks.accepted("slack").map((r) => r.json as { blocks: unknown[] });
    expect(messages.map((m) => m.blocks.length)).to.deep.equal([1 + 10 * 4 - 1, 1 + 10 * 4 - 1, 1 + 3 * 4 - 1]);
    expect(sinks.received.slack.every((r) => r.outcome === "accepted")).to.equal(true);
  });

  it("shows a storm's first 50 alerts in full and lists the rest, every alert accounted for", async () => {
    const alerts = Array.from({ length: 300 }, (_, i) => ampAlert({ fingerprint: i.toString(16).padStart(16, "0"), labels: { ...ampAlert().labels, team: "search", pod: `api-${i}` } }));
    const result = await notifier.handle(snsEvent(JSON.stringify(ampMessage(alerts))));
    expect(result.delivered).to.equal(300);
    const slack = sinks.received.slack;
    expect(slack.every((r) => r.outcome === "accepted"), slack.map((r) => r.rejection).join()).to.equal(true);
    expect(slack.length, "5 detailed messages and 1 list").to.equal(6);
    const actions = result.alerts.map((a) => a.destinations.find((d) => d.type === "slack")!.action);
    expect(actions.filter((action) => action === "posted")).to.have.length(50);
    expect(actions.filter((action) => action === "listed")).to.have.length(250);
    const text = slack.map((r) => r.body).join("\n");
    for (const alert of alerts) expect(text).to.include(alert.fingerprint);
  });
});
