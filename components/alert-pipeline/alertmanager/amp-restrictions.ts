/**
 * What AMP refuses in an alertmanager definition, checked on the rendered document so a
 * mistake fails in tests and in the offline plan rather than at deploy time: only SNS
 * receivers, each with `sigv4.region`; no `api_url` or `http_config` anywhere; at most
 * 5 days of `repeat_interval`; every referenced template present.
 */
import { parse } from "yaml";
import { AMP_MAX_REPEAT_INTERVAL_SECONDS, durationSeconds } from "./settings";

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths of every key named `key` anywhere under `value`. */
function findKeys(value: unknown, key: string, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findKeys(item, key, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [`${path}.${k}`] : []), ...findKeys(v, key, `${path}.${k}`)]);
}

function routes(route: unknown, path: string): { route: Node; path: string }[] {
  if (!isObject(route)) return [];
  const children = Array.isArray(route.routes) ? route.routes : [];
  return [{ route, path }, ...children.flatMap((child, i) => routes(child, `${path}.routes[${i}]`))];
}

/** Every reason AMP would refuse the definition; empty when it is acceptable. */
export function ampAlertmanagerViolations(definitionYaml: string): string[] {
  const problems: string[] = [];
  const definition: unknown = parse(definitionYaml);
  if (!isObject(definition)) return ["the definition is not a YAML mapping"];
  const extraKeys = Object.keys(definition).filter((key) => key !== "template_files" && key !== "alertmanager_config");
  if (extraKeys.length > 0) problems.push(`unexpected root keys: ${extraKeys.join(", ")}`);
  if (typeof definition.alertmanager_config !== "string") return [...problems, "alertmanager_config must be the Alertmanager YAML as a string"];
  const templateFiles = isObject(definition.template_files) ? definition.template_files : {};

  const config: unknown = parse(definition.alertmanager_config);
  if (!isObject(config)) return [...problems, "alertmanager_config is not a YAML mapping"];
  for (const key of ["api_url", "http_config"]) {
    for (const path of findKeys(config, key, "alertmanager_config")) problems.push(`${path} is not allowed by AMP`);
  }
  for (const path of findKeys(config, "sns_api_url", "alertmanager_config")) problems.push(`${path} is not allowed by AMP`);

  const receivers = Array.isArray(config.receivers) ? config.receivers : [];
  if (receivers.length === 0) problems.push("alertmanager_config has no receivers");
  receivers.forEach((receiver, i) => {
    const path = `receivers[${i}]`;
    if (!isObject(receiver)) return problems.push(`${path} is not a mapping`);
    const kinds = Object.keys(receiver).filter((key) => key !== "name");
    for (const kind of kinds.filter((key) => key !== "sns_configs")) problems.push(`${path} (${receiver.name}) uses ${kind}: AMP supports only sns_configs`);
    const sns = Array.isArray(receiver.sns_configs) ? receiver.sns_configs : [];
    if (sns.length === 0) problems.push(`${path} (${receiver.name}) has no sns_configs`);
    sns.forEach((entry, j) => {
      const at = `${path}.sns_configs[${j}]`;
      if (!isObject(entry)) return problems.push(`${at} is not a mapping`);
      if (!isObject(entry.sigv4) || typeof entry.sigv4.region !== "string" || entry.sigv4.region === "") problems.push(`${at} has no sigv4.region`);
      if (typeof entry.topic_arn !== "string" || entry.topic_arn.endsWith(".fifo")) problems.push(`${at} needs the topic_arn of a Standard topic`);
      return undefined;
    });
    return undefined;
  });

  for (const { route, path } of routes(config.route, "route")) {
    if (typeof route.repeat_interval !== "string") continue;
    let seconds: number;
    try {
      seconds = durationSeconds(route.repeat_interval);
    } catch {
      problems.push(`${path}.repeat_interval "${route.repeat_interval}" is not a duration`);
      continue;
    }
    if (seconds > AMP_MAX_REPEAT_INTERVAL_SECONDS) problems.push(`${path}.repeat_interval ${route.repeat_interval} is above AMP's 5 days`);
  }
  if (!isObject(config.route)) problems.push("alertmanager_config has no route");

  const referenced = Array.isArray(config.templates) ? config.templates : [];
  for (const name of referenced) {
    if (typeof name !== "string" || !(name in templateFiles)) problems.push(`template ${String(name)} is referenced but not in template_files`);
  }
  return problems;
}
