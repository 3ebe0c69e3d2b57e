/**
 * Keeps the promtool unit tests complete: a rule added without a firing case, a quiet case
 * (alerts) or a value check (recording rules) fails here, and so does a case for a rule
 * that no longer exists.
 */
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { ruleGroups, RULE_CONCERNS } from "../../components/alert-pipeline/rules";
import { isAlertingRule } from "../../components/alert-pipeline/rules/model";
import { CASES_BY_CONCERN } from "./cases";

describe("rule test coverage", function () {
  for (const concern of RULE_CONCERNS) {
    describe(concern, function () {
      // Read in each test, not while the file loads, so mutation testing sees which test reached the rules.
      const ruleSet = () => {
        const rules = ruleGroups(undefined, concern).flatMap((group) => group.rules);
        const cases = CASES_BY_CONCERN[concern];
        return {
          alerts: rules.filter(isAlertingRule),
          records: rules.filter((rule) => !isAlertingRule(rule)).map((rule) => ("record" in rule ? rule.record : "")),
          cases,
          checks: cases.flatMap((c) => c.alerts ?? []),
        };
      };

      it("has a firing case for every alert and severity", function () {
        const { alerts, checks } = ruleSet();
        const firing = new Set(checks.flatMap((check) => check.firing.map((alert) => `${check.alertname}/${alert.labels.severity}`)));
        const missing = alerts.map((rule) => `${rule.alert}/${rule.labels.severity}`).filter((key) => !firing.has(key));
        expect(missing, "alerts without a case where they fire").to.deep.equal([]);
      });

      it("has a quiet case for every alert", function () {
        const { alerts, checks } = ruleSet();
        const quiet = new Set(checks.filter((check) => check.firing.length === 0).map((check) => check.alertname));
        const missing = [...new Set(alerts.map((rule) => rule.alert))].filter((name) => !quiet.has(name));
        expect(missing, "alerts without a case where they stay quiet").to.deep.equal([]);
      });

      it("checks the value of every recording rule", function () {
        const { records, cases } = ruleSet();
        const checked = new Set(cases.flatMap((c) => (c.records ?? []).map((check) => check.record)));
        const missing = records.filter((record) => !checked.has(record));
        expect(missing, "recording rules without a value check").to.deep.equal([]);
      });

      it("tests only rules that exist", function () {
        const { alerts, records, cases, checks } = ruleSet();
        const alertNames = new Set(alerts.map((rule) => rule.alert));
        const stale = [
          ...checks.map((check) => check.alertname).filter((name) => !alertNames.has(name)),
          ...cases.flatMap((c) => (c.records ?? []).map((check) => check.record)).filter((record) => !records.includes(record)),
        ];
        expect(stale, "cases for rules that do not exist").to.deep.equal([]);
      });
    });
  }

  it("has a runbook section for every alert", function () {
    const runbooks = readFileSync(join(__dirname, "../../components/alert-pipeline/rules/RUNBOOKS.md"), "utf8");
    const headings = new Set([...runbooks.matchAll(/^## (\S+)$/gm)].map((match) => match[1]));
    const names = [...new Set(ruleGroups().flatMap((group) => group.rules.filter(isAlertingRule).map((rule) => rule.alert)))];
    expect(names.filter((name) => !headings.has(name)), "alerts without a runbook section").to.deep.equal([]);
    expect([...headings].filter((heading) => !names.includes(heading)), "runbook sections for no alert").to.deep.equal([]);
  });
});
