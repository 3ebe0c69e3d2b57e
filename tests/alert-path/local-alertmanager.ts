/**
 * Runs the real Alertmanager with the exact rendered AMP configuration and templates; the
 * one change is an `api_url` on every SNS receiver, pointing at the loopback SNS stub.
 * SigV4 credentials come from the environment, as they would from the instance role.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { parse, stringify } from "yaml";
import { alertmanagerTemplates, AlertmanagerSettings, renderAlertmanagerConfig } from "../../components/alert-pipeline/alertmanager";
import { freePort, httpOk, RunningProcess, startProcess, waitFor } from "./processes";
import { TestCredentials } from "./sns-stub";

interface SnsReceiver {
  name: string;
  sns_configs: Record<string, unknown>[];
}

/** The rendered config with `api_url` added to each sns_config, and nothing else changed. */
export function withSnsEndpoint(renderedConfig: string, snsUrl: string): Record<string, unknown> {
  const config = parse(renderedConfig) as { receivers: SnsReceiver[] };
  for (const receiver of config.receivers) for (const sns of receiver.sns_configs) sns.api_url = snsUrl;
  return config;
}

export interface LocalAlertmanager {
  url: string;
  process: RunningProcess;
  configFile: string;
}

export async function startLocalAlertmanager(dir: string, settings: AlertmanagerSettings, snsUrl: string, credentials: TestCredentials): Promise<LocalAlertmanager> {
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, "alertmanager.yml");
  writeFileSync(configFile, stringify(withSnsEndpoint(renderAlertmanagerConfig(settings), snsUrl), { lineWidth: 0 }));
  // Alertmanager resolves `templates:` relative to the config file, so the AMP template_files go beside it.
  for (const [name, text] of Object.entries(alertmanagerTemplates(settings))) writeFileSync(join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process_ = startProcess(
    "alertmanager",
    "prometheus-alertmanager",
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, "alertmanager-data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      // No gossip cluster: it would listen on all interfaces.
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(dir, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
    },
  );
  try {
    await waitFor("alertmanager to be ready", () => httpOk(`${url}/-/ready`), 15_000);
  } catch (error) {
    await process_.stop();
    throw new Error(`${(error as Error).message}\n${process_.log()}`);
  }
  return { url, process: process_, configFile };
}

export interface PostedAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** POST /api/v2/alerts, as Prometheus does. */
export async function postAlerts(alertmanagerUrl: string, alerts: PostedAlert[]): Promise<void> {
  const response = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(alerts),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`alertmanager refused the alerts: ${response.status} ${await response.text()}`);
}
