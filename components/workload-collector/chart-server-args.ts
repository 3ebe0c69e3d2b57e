/**
 * Pure mirror of how the prometheus-community `prometheus` chart builds the `args` of the
 * Prometheus server container from its values, so the flags our values produce can be
 * checked offline and run with the real binary.
 *
 * Source: prometheus-community/helm-charts, tag prometheus-25.27.0
 * (commit 5adf0ee898e8e5430471cb43a5f9532745c22f81), charts/prometheus/:
 *   templates/deploy.yaml 148-182   the args block. A non-empty server.defaultFlagsOverride
 *                                   (149-150) is emitted as it is and replaces everything
 *                                   else; otherwise: retention (152-154), retentionSize
 *                                   (155-157), config file (158), TSDB path from storagePath
 *                                   or else persistentVolume.mountPath (159-163), console
 *                                   flags (164-165), extraFlags as `--<flag>` (166-168),
 *                                   extraArgs in key order, bare when the value is empty
 *                                   (169-175), prefixURL (176-178), baseURL (179-181).
 *   templates/deploy.yaml 255-260   the config volume is mounted at /etc/config, the storage
 *                                   volume at server.persistentVolume.mountPath.
 *   values.yaml                     the defaults below: prefixURL 220, baseURL 224,
 *                                   defaultFlagsOverride 247, extraFlags 249-250,
 *                                   configPath 262, storagePath 266, extraArgs 306,
 *                                   persistentVolume.enabled 471, persistentVolume.mountPath
 *                                   500, statefulSet.enabled 595, retention 747,
 *                                   retentionSize 751; and for the workload: env 241,
 *                                   podAntiAffinity 440, podAntiAffinityTopologyKey 445,
 *                                   podDisruptionBudget 454-456, replicaCount 576.
 *   templates/sts.yaml 153-187      the StatefulSet's args block (server.statefulSet.enabled):
 *                                   the same flags, defaultFlagsOverride included (154-155),
 *                                   except that prefixURL comes first (157-159) and only
 *                                   baseURL is last (184-186).
 *
 * Workload shape (chartServerWorkload), the parts the collector's replicas rely on:
 *   templates/deploy.yaml 1, sts.yaml 1      a Deployment unless server.statefulSet.enabled, then a
 *                                            StatefulSet (values.yaml 574-576: "Use a StatefulSet
 *                                            if replicaCount needs to be greater than 1").
 *   templates/deploy.yaml 17, sts.yaml 26    replicas: server.replicaCount (values.yaml 576).
 *   templates/deploy.yaml 397-400, pvc.yaml 1-3
 *                                            the Deployment mounts ONE PersistentVolumeClaim named
 *                                            after the release, shared by every replica (a
 *                                            ReadWriteOnce EBS volume cannot be, and two WALs in one
 *                                            directory collide): so more than one replica needs the
 *                                            StatefulSet, whose volumeClaimTemplates (sts.yaml
 *                                            400-426) give each pod its own claim.
 *   templates/deploy.yaml 144-147, sts.yaml 149-152
 *                                            server.env is the server container's env as given
 *                                            (values.yaml 241), so a downward-API POD_NAME works.
 *   templates/deploy.yaml 326-348, sts.yaml 329-351
 *                                            server.podAntiAffinity "hard" / "soft" (values.yaml
 *                                            440, "" by default) renders a required / preferred
 *                                            (weight 100) anti-affinity on topologyKey
 *                                            server.podAntiAffinityTopologyKey (values.yaml 445,
 *                                            kubernetes.io/hostname) against pods labelled
 *                                            app.kubernetes.io/name=<chart name>.
 *   templates/pdb.yaml 1-15                  server.podDisruptionBudget.enabled (values.yaml 454-456,
 *                                            false, maxUnavailable 1) renders a PodDisruptionBudget
 *                                            whose spec is every other key of that map, selecting
 *                                            the server pods.
 */

export const CHART_SOURCE = {
  repository: "prometheus-community/helm-charts",
  tag: "prometheus-25.27.0",
  commit: "5adf0ee898e8e5430471cb43a5f9532745c22f81",
} as const;

/** values.yaml `server.configPath`: the file inside the config volume mounted at /etc/config. */
export const CHART_CONFIG_PATH = "/etc/config/prometheus.yml";
/** values.yaml `server.persistentVolume.mountPath`: where the storage volume is mounted. */
export const CHART_STORAGE_MOUNT_PATH = "/data";
/** Fixed in deploy.yaml (164-165): the console directories of the Prometheus image. */
export const CHART_CONSOLE_LIBRARIES = "/etc/prometheus/console_libraries";
export const CHART_CONSOLE_TEMPLATES = "/etc/prometheus/consoles";

/** The chart's `server.*` defaults that take part in building the args. */
export const CHART_SERVER_DEFAULTS: Readonly<Record<string, unknown>> = {
  prefixURL: "",
  baseURL: "",
  defaultFlagsOverride: [],
  extraFlags: ["web.enable-lifecycle"],
  configPath: CHART_CONFIG_PATH,
  storagePath: "",
  extraArgs: {},
  persistentVolume: { enabled: true, mountPath: CHART_STORAGE_MOUNT_PATH },
  statefulSet: { enabled: false },
  replicaCount: 1,
  env: [],
  podAntiAffinity: "",
  podAntiAffinityTopologyKey: "kubernetes.io/hostname",
  podDisruptionBudget: { enabled: false, maxUnavailable: 1 },
  retention: "15d",
  retentionSize: "",
};

type Values = Record<string, unknown>;

function isMap(value: unknown): value is Values {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Helm's merge of user values over chart defaults: maps merge key by key, lists and
 * scalars replace, and a null removes a key the defaults have (a null for a key the
 * defaults lack stays null, which is how extraArgs gets argument-less flags).
 */
export function coalesceValues(defaults: Values, user: Values): Values {
  const merged: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) {
      if (key in defaults) delete merged[key];
      else merged[key] = null;
      continue;
    }
    const base = merged[key];
    merged[key] = isMap(base) && isMap(value) ? coalesceValues(base, value) : value;
  }
  return merged;
}

/** Go template truth: false, 0, nil and empty strings, lists and maps are false. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** Go's %v of a float64 (all Helm numbers are): exponent form from 1e+06 up and below 1e-04. */
function goNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return "0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(value);
}

/** `{{ value }}` as Helm prints it; a missing value prints nothing. */
function print(value: unknown, what: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return goNumber(value);
  throw new Error(`chart args mirror: ${what} is a ${Array.isArray(value) ? "list" : typeof value}, which the mirror does not render`);
}

function list(value: unknown, what: string): unknown[] {
  if (!truthy(value)) return [];
  if (!Array.isArray(value)) throw new Error(`chart args mirror: ${what} must be a list (the template ranges over it)`);
  return value;
}

/** The chart values with `server` merged over the chart defaults that matter for the args. */
export function chartServerValues(values: Values): Values {
  const server = values.server ?? {};
  if (!isMap(server)) throw new Error("chart args mirror: values.server must be a map");
  return coalesceValues({ ...CHART_SERVER_DEFAULTS }, server);
}

function isStatefulSet(server: Values): boolean {
  return isMap(server.statefulSet) && truthy(server.statefulSet.enabled);
}

/** The server container's args, as deploy.yaml (or sts.yaml) renders them for these values. */
export function chartServerArgs(values: Values): string[] {
  const server = chartServerValues(values);
  const statefulSet = isStatefulSet(server);

  if (truthy(server.defaultFlagsOverride)) {
    return list(server.defaultFlagsOverride, "server.defaultFlagsOverride").map((flag, i) => {
      if (typeof flag !== "string") throw new Error(`chart args mirror: server.defaultFlagsOverride[${i}] must be a string`);
      return flag;
    });
  }

  const args: string[] = [];
  // sts.yaml 157-159: the StatefulSet renders the route prefix first.
  if (statefulSet && truthy(server.prefixURL)) args.push(`--web.route-prefix=${print(server.prefixURL, "server.prefixURL")}`);
  if (truthy(server.retention)) args.push(`--storage.tsdb.retention.time=${print(server.retention, "server.retention")}`);
  if (truthy(server.retentionSize)) args.push(`--storage.tsdb.retention.size=${print(server.retentionSize, "server.retentionSize")}`);
  args.push(`--config.file=${print(server.configPath, "server.configPath")}`);
  const mountPath = isMap(server.persistentVolume) ? server.persistentVolume.mountPath : undefined;
  const tsdbPath = truthy(server.storagePath) ? server.storagePath : mountPath;
  args.push(`--storage.tsdb.path=${print(tsdbPath, "the storage path")}`);
  args.push(`--web.console.libraries=${CHART_CONSOLE_LIBRARIES}`, `--web.console.templates=${CHART_CONSOLE_TEMPLATES}`);
  for (const flag of list(server.extraFlags, "server.extraFlags")) args.push(`--${print(flag, "a server.extraFlags item")}`);
  const extraArgs = server.extraArgs ?? {};
  if (!isMap(extraArgs)) throw new Error("chart args mirror: server.extraArgs must be a map");
  // Go templates range over a map in sorted key order.
  for (const key of Object.keys(extraArgs).sort()) {
    const value = extraArgs[key];
    args.push(truthy(value) ? `--${key}=${print(value, `server.extraArgs.${key}`)}` : `--${key}`);
  }
  if (!statefulSet && truthy(server.prefixURL)) args.push(`--web.route-prefix=${print(server.prefixURL, "server.prefixURL")}`);
  if (truthy(server.baseURL)) args.push(`--web.external-url=${print(server.baseURL, "server.baseURL")}`);
  return args;
}

/** What the chart deploys for the server, as far as replicas and disruptions are concerned. */
export interface ChartServerWorkload {
  kind: "Deployment" | "StatefulSet";
  replicas: number;
  /** "shared-claim": the Deployment's one PVC (pvc.yaml); "claim-per-pod": volumeClaimTemplates. */
  storage: "shared-claim" | "claim-per-pod" | "empty-dir";
  /** The server container's env, as given. */
  env: unknown[];
  podAntiAffinity?: { mode: "required" | "preferred"; topologyKey: string; matchLabels: Record<string, string> };
  /** The PodDisruptionBudget spec besides its selector, when one is rendered. */
  podDisruptionBudget?: Values;
}

/** The chart's name label value (_helpers.tpl "prometheus.name", no nameOverride in our values). */
export const CHART_NAME = "prometheus";

/** The server workload deploy.yaml / sts.yaml / pvc.yaml / pdb.yaml render for these values. */
export function chartServerWorkload(values: Values): ChartServerWorkload {
  const server = chartServerValues(values);
  const statefulSet = isStatefulSet(server);
  const replicas = server.replicaCount;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw new Error("chart args mirror: server.replicaCount must be a whole number");
  }
  const persistent = isMap(server.persistentVolume) && truthy(server.persistentVolume.enabled);
  const workload: ChartServerWorkload = {
    kind: statefulSet ? "StatefulSet" : "Deployment",
    replicas,
    storage: !persistent ? "empty-dir" : statefulSet ? "claim-per-pod" : "shared-claim",
    env: list(server.env, "server.env"),
  };
  if (server.podAntiAffinity === "hard" || server.podAntiAffinity === "soft") {
    workload.podAntiAffinity = {
      mode: server.podAntiAffinity === "hard" ? "required" : "preferred",
      topologyKey: print(server.podAntiAffinityTopologyKey, "server.podAntiAffinityTopologyKey"),
      matchLabels: { "app.kubernetes.io/name": CHART_NAME },
    };
  }
  const pdb = server.podDisruptionBudget;
  if (isMap(pdb) && truthy(pdb.enabled)) {
    const { enabled: _enabled, ...spec } = pdb;
    workload.podDisruptionBudget = spec;
  }
  return workload;
}
