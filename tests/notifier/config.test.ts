import { expect } from "chai";
import { parseNotifierConfig } from "../../components/alert-pipeline/notifier/config";
import { truncate } from "../../components/alert-pipeline/notifier/text";
import { allDestinationsConfig } from "./harness";

describe("notifier configuration", () => {
  it("accepts the documented shape", () => {
    expect(parseNotifierConfig(JSON.stringify(allDestinationsConfig()))).to.deep.equal(allDestinationsConfig());
  });

  it("names the offending key and what to do", () => {
    const withDestination = (destination: Record<string, unknown>) => JSON.stringify({ destinations: [destination] });
    const cases: Array<[string | undefined, string]> = [
      [undefined, "NOTIFIER_CONFIG is not set: the notifier needs its destinations"],
      ["{oops", "NOTIFIER_CONFIG is not valid JSON"],
      ['{"destinations": []}', "NOTIFIER_CONFIG.destinations must be a non-empty list"],
      [withDestination({ name: "x", type: "email", secretArn: "arn" }), 'NOTIFIER_CONFIG.destinations[0].type must be one of slack, pagerduty, jira, webhook (got "email")'],
      [withDestination({ name: "x", type: "slack" }), "NOTIFIER_CONFIG.destinations[0].secretArn must be a non-empty string"],
      [withDestination({ name: "j", type: "jira", secretArn: "arn" }), "NOTIFIER_CONFIG.destinations[0].jira must be an object"],
      [withDestination({ name: "x", type: "slack", secretArn: "arn", match: { severities: ["sev1"] } }), 'NOTIFIER_CONFIG.destinations[0].match.severities[0] must be one of critical, error, warning, info (got "sev1")'],
      [withDestination({ name: "x", type: "slack", secretArn: "arn", match: { teams: [] } }), "NOTIFIER_CONFIG.destinations[0].match.teams must be a non-empty list of strings (leave it out to match everything)"],
      [
        JSON.stringify({ destinations: [{ name: "a", type: "slack", secretArn: "s" }, { name: "a", type: "webhook", secretArn: "w" }] }),
        'NOTIFIER_CONFIG.destinations[1].name "a" is used twice; destination names must be unique',
      ],
    ];
    for (const [json, message] of cases) expect(() => parseNotifierConfig(json), String(json)).to.throw(message);
  });

  it("never cuts an emoji in half when truncating", () => {
    expect(truncate("ab🚨cd", 4)).to.equal("ab…");
    expect(truncate("abc🚨", 5)).to.equal("abc🚨");
    expect(truncate("abcdef", 4)).to.equal("abc…");
  });
});
