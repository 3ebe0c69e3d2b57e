/**
 * The self-hosted Alertmanager runs the very configuration and templates the managed
 * backend gives AMP: same receivers (SNS), routes, grouping, inhibition and JSON message.
 * On Fargate, its SNS SigV4 signing takes credentials from the task role (the ECS
 * container credentials endpoint), so nothing in the files changes.
 */
import { alertmanagerTemplates, AlertmanagerSettings, renderAlertmanagerConfig } from "../alert-pipeline/alertmanager";

export const ALERTMANAGER_CONFIG_FILE = "alertmanager.yml";

/** File name -> text, all in one directory (Alertmanager resolves `templates:` beside its config). */
export function selfHostedAlertmanagerFiles(settings: AlertmanagerSettings): Record<string, string> {
  return { [ALERTMANAGER_CONFIG_FILE]: renderAlertmanagerConfig(settings), ...alertmanagerTemplates(settings) };
}

export interface AlertmanagerServerFlags {
  configDir: string;
  /** Silences and the notification log: the task's EFS access point, so they survive restarts. */
  storagePath: string;
  listenAddress: string;
  /** Peers of an HA pair (`host:9094`); empty runs a single instance with gossip off. */
  peers: string[];
  clusterListenAddress?: string;
}

export function alertmanagerServerArgs(flags: AlertmanagerServerFlags): string[] {
  return [
    `--config.file=${flags.configDir}/${ALERTMANAGER_CONFIG_FILE}`,
    `--storage.path=${flags.storagePath}`,
    `--web.listen-address=${flags.listenAddress}`,
    ...(flags.peers.length === 0
      ? ["--cluster.listen-address="]
      : [`--cluster.listen-address=${flags.clusterListenAddress ?? "0.0.0.0:9094"}`, ...flags.peers.map((peer) => `--cluster.peer=${peer}`)]),
  ];
}
