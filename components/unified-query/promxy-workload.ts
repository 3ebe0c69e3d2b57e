/**
 * The Promxy pod as plain Kubernetes objects: containers, probes, resources and the
 * optional SigV4 signing sidecar. Pure: the component turns these into resources.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ampQueryHost } from "../shared/arns";
import { DEFAULT_SIDECAR_ADDRESS, SigV4Mode } from "./promxy-config";

/** First release that signs SigV4 itself (`http_client.sigv4`). */
export const PROMXY_IMAGE = "quay.io/jacksontj/promxy:v0.0.94";
export const SIGV4_PROXY_IMAGE = "public.ecr.aws/aws-observability/aws-sigv4-proxy:1.11";

export const PROMXY_PORT = 8082;
export const PROMXY_CONFIG_DIR = "/etc/promxy";
export const PROMXY_CONFIG_FILE = "config.yaml";

export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export const DEFAULT_PROMXY_RESOURCES: ContainerResources = {
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};

export const DEFAULT_SIDECAR_RESOURCES: ContainerResources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

export interface PromxyPodSettings {
  region: string;
  sigv4Mode: SigV4Mode;
  image?: string;
  sidecarImage?: string;
  resources?: ContainerResources;
  sidecarResources?: ContainerResources;
  configMapName: string;
  serviceAccountName: string;
  /** Spread replicas over nodes (prod-like). */
  spreadOverNodes: boolean;
  labels: Record<string, string>;
  /** Hash of the rendered config: a new config rolls the pods. */
  configChecksum: string;
}

const restricted = {
  runAsNonRoot: true,
  runAsUser: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

function assertPinned(image: string): void {
  const tag = image.includes("@") ? image.split("@")[1] : image.split(":").slice(1).join(":");
  if (!tag || tag === "latest" || tag === "master") {
    throw new Error(`image "${image}" is not pinned to a release tag or digest`);
  }
}

export function promxyContainer(settings: PromxyPodSettings): k8s.types.input.core.v1.Container {
  const image = settings.image ?? PROMXY_IMAGE;
  assertPinned(image);
  return {
    name: "promxy",
    image,
    args: [`--config=${PROMXY_CONFIG_DIR}/${PROMXY_CONFIG_FILE}`, `--bind-addr=:${PROMXY_PORT}`, "--log-level=info"],
    ports: [{ name: "http", containerPort: PROMXY_PORT, protocol: "TCP" }],
    readinessProbe: {
      httpGet: { path: "/-/ready", port: "http" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: "/-/healthy", port: "http" },
      initialDelaySeconds: 15,
      periodSeconds: 20,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    resources: settings.resources ?? DEFAULT_PROMXY_RESOURCES,
    securityContext: restricted,
    volumeMounts: [{ name: "config", mountPath: PROMXY_CONFIG_DIR, readOnly: true }],
  };
}

/** aws-sigv4-proxy signing every request for the `aps` service and forwarding it to AMP. */
export function sigv4SidecarContainer(settings: PromxyPodSettings): k8s.types.input.core.v1.Container {
  const image = settings.sidecarImage ?? SIGV4_PROXY_IMAGE;
  assertPinned(image);
  const port = Number(DEFAULT_SIDECAR_ADDRESS.split(":")[1]);
  return {
    name: "sigv4-proxy",
    image,
    args: ["--name", "aps", "--region", settings.region, "--host", ampQueryHost(settings.region), "--port", `:${port}`],
    ports: [{ name: "sigv4", containerPort: port, protocol: "TCP" }],
    readinessProbe: { tcpSocket: { port: "sigv4" }, periodSeconds: 10 },
    livenessProbe: { tcpSocket: { port: "sigv4" }, initialDelaySeconds: 10, periodSeconds: 20 },
    resources: settings.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES,
    securityContext: restricted,
  };
}

export function promxyPodTemplate(settings: PromxyPodSettings): k8s.types.input.core.v1.PodTemplateSpec {
  const containers: k8s.types.input.core.v1.Container[] = [promxyContainer(settings)];
  if (settings.sigv4Mode === "sidecar") containers.push(sigv4SidecarContainer(settings));
  return {
    metadata: {
      labels: settings.labels,
      annotations: { "checksum/config": settings.configChecksum },
    },
    spec: {
      serviceAccountName: settings.serviceAccountName,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers,
      volumes: [{ name: "config", configMap: { name: settings.configMapName } }],
      ...(settings.spreadOverNodes
        ? {
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: settings.labels } },
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: settings.labels } },
            ],
          }
        : {}),
    },
  };
}
