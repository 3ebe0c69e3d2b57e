/**
 * `promtool test rules` cases as typed data. Each case is one test group: its own input
 * series, one evaluation time, the alerts expected at that time (an empty list means the
 * alert must stay quiet) and the values recording rules must produce.
 */
import { DEFAULT_RUNBOOK_BASE_URL } from "../../../components/alert-pipeline/rules/settings";

export type Labels = Record<string, string>;

export interface SeriesInput {
  series: string;
  /** promtool expanding notation, e.g. `0+60x30`, `1x20 _x10`. */
  values: string;
}

export interface ExpectedAlert {
  labels: Labels;
  annotations: Labels;
}

export interface AlertCheck {
  alertname: string;
  /** Every alert of that name firing at the evaluation time; [] = must stay quiet. */
  firing: ExpectedAlert[];
}

export interface RecordCheck {
  record: string;
  samples: { labels: Labels; value: number }[];
}

export interface RuleTestCase {
  name: string;
  input: SeriesInput[];
  evalTime: string;
  alerts?: AlertCheck[];
  records?: RecordCheck[];
}

/** `name{a="1", b="2"}` with values escaped as promtool's series parser expects. */
export function series(name: string, labels: Labels): string {
  const body = Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(", ");
  return `${name}{${body}}`;
}

export function runbook(alertname: string): string {
  return `${DEFAULT_RUNBOOK_BASE_URL}#${alertname.toLowerCase()}`;
}

/** The account and cluster every case runs in, plus the external label the rules aggregate away. */
export const WHERE = { account: "acme-payments", cluster: "blue" } as const;
export const EXTERNAL = { ...WHERE, environment: "dev" } as const;

/** A `promtool test rules` document for one rules file. */
export function promtoolTestDocument(ruleFile: string, cases: RuleTestCase[]): Record<string, unknown> {
  return {
    rule_files: [ruleFile],
    evaluation_interval: "1m",
    tests: cases.map((c) => ({
      name: c.name,
      interval: "1m",
      input_series: c.input,
      alert_rule_test: (c.alerts ?? []).map((check) => ({
        eval_time: c.evalTime,
        alertname: check.alertname,
        exp_alerts: check.firing.map((alert) => ({ exp_labels: alert.labels, exp_annotations: alert.annotations })),
      })),
      promql_expr_test: (c.records ?? []).map((check) => ({
        expr: check.record,
        eval_time: c.evalTime,
        exp_samples: check.samples.map((sample) => ({ labels: series(check.record, sample.labels), value: sample.value })),
      })),
    })),
  };
}
