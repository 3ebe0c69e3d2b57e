/**
 * The Alertmanager templates of the SNS message (JSON for the notifier) and subject.
 *
 * Alertmanager templates have no JSON encoder, so every string goes through
 * `sns.json.escape`, built from what Go's text/template does offer:
 * - `js` escapes `\`, `"`, control characters (as \u00XX) and `<>&=` (as \u003C...), all
 *   valid JSON, but writes `'` as `\'`, which JSON refuses: the last step turns `\'` back
 *   into `'` (every `'` in js output is preceded by exactly its own escaping backslash).
 * - `js` writes a non-printable character above U+FFFF as `\u` + 5 hex digits, which JSON
 *   reads as a different character followed by a digit: those characters (private use,
 *   tags, unassigned) become U+FFFD first. Printable ones (emoji) pass unchanged.
 * `printf "%q"` is not used: Go quoting produces \x, \a, \v and \U escapes JSON refuses.
 */
import { AlertmanagerSettings } from "./settings";

/** Key under `template_files` and the file name Alertmanager loads locally. */
export const MESSAGE_TEMPLATE_FILE = "sns_notifier_json";
export const MESSAGE_TEMPLATE = "sns.notifier.message";
export const SUBJECT_TEMPLATE = "sns.notifier.subject";

// Each definition is built when the template text is (not while files load), so what a test
// renders is built while it runs.

function escape(): string {
  /** Characters above U+FFFF that Go's IsPrint rejects (same Unicode tables as `js`). */
  const NON_PRINTABLE_ASTRAL = "`[^\\x{0}-\\x{FFFF}\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}]`";
  return [
    '{{ define "sns.json.escape" }}',
    `{{- . | reReplaceAll ${NON_PRINTABLE_ASTRAL} "\\uFFFD" | js | reReplaceAll \`\\\\'\` "'" -}}`,
    "{{ end }}",
  ].join("");
}

function string(): string {
  return '{{ define "sns.json.string" }}"{{ template "sns.json.escape" . }}"{{ end }}';
}

function keyValues(): string {
  return [
    '{{ define "sns.json.kv" }}{ ',
    '{{- range $i, $pair := .SortedPairs }}{{ if $i }},{{ end }}{{ template "sns.json.string" $pair.Name }}:{{ template "sns.json.string" $pair.Value }}{{ end -}}',
    "}{{ end }}",
  ].join("");
}

function alert(): string {
  const RFC3339 = '"2006-01-02T15:04:05.999999999Z07:00"';
  return [
    '{{ define "sns.json.alert" }}{',
    '"status":{{ template "sns.json.string" .Status }}',
    ',"labels":{{ template "sns.json.kv" .Labels }}',
    ',"annotations":{{ template "sns.json.kv" .Annotations }}',
    `,"startsAt":"{{ .StartsAt.Format ${RFC3339} }}"`,
    `,"endsAt":"{{ .EndsAt.Format ${RFC3339} }}"`,
    ',"generatorURL":{{ template "sns.json.string" .GeneratorURL }}',
    ',"fingerprint":{{ template "sns.json.string" .Fingerprint }}',
    "}{{ end }}",
  ].join("");
}

/** `<receiver>:{alertname="X",cluster="c"}`: stable for a notification group, like Alertmanager's own key. */
function groupKey(): string {
  return [
    '"{{ template "sns.json.escape" .Receiver }}:{ ',
    '{{- range $i, $pair := .GroupLabels.SortedPairs }}{{ if $i }},{{ end }}{{ template "sns.json.escape" (printf "%s=%q" $pair.Name $pair.Value) }}{{ end -}}',
    '}"',
  ].join("");
}

function message(maxAlerts: number): string {
  return [
    `{{ define "${MESSAGE_TEMPLATE}" }}{`,
    '"version":"1"',
    ',"status":{{ template "sns.json.string" .Status }}',
    ',"receiver":{{ template "sns.json.string" .Receiver }}',
    `,"groupKey":${groupKey()}`,
    ',"groupLabels":{{ template "sns.json.kv" .GroupLabels }}',
    ',"commonLabels":{{ template "sns.json.kv" .CommonLabels }}',
    ',"commonAnnotations":{{ template "sns.json.kv" .CommonAnnotations }}',
    ',"externalURL":{{ template "sns.json.string" .ExternalURL }}',
    ',"totalAlerts":{{ len .Alerts }}',
    ',"alerts":[',
    `{{- range $i, $alert := .Alerts }}{{ if lt $i ${maxAlerts} }}{{ if $i }},{{ end }}{{ template "sns.json.alert" $alert }}{{ end }}{{ end -}}`,
    "]}{{ end }}",
  ].join("");
}

/**
 * SNS refuses a subject that is not printable ASCII or is 100 characters or longer, so
 * anything else becomes `?` and the subject is cut at 99 characters.
 */
function subject(): string {
  return [
    `{{ define "${SUBJECT_TEMPLATE}" }}`,
    '{{- printf "[%s:%d] %s %s/%s" (.Status | toUpper) (len .Alerts) .CommonLabels.alertname .CommonLabels.account .CommonLabels.cluster',
    ' | reReplaceAll "[^ -~]" "?" | reReplaceAll "^(.{0,99}).*$" "$1" -}}',
    "{{ end }}",
  ].join("");
}

/** The whole template file (one definition per line, so Alertmanager's errors point at one). */
export function messageTemplateText(settings: Pick<AlertmanagerSettings, "maxAlertsPerMessage">): string {
  return [escape(), string(), keyValues(), alert(), message(settings.maxAlertsPerMessage), subject()].join("\n") + "\n";
}

/** Printable ASCII only, for SNS message attribute values. */
export function asciiAttribute(template: string): string {
  return `{{ ${template} | reReplaceAll "[^ -~]" "?" }}`;
}
