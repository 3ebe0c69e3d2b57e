/**
 * One Kubernetes worker node as the generated exporters describe it: its pods, their
 * containers, owners, services and volumes. Deterministic for a given shape, so every
 * exporter (kubelet, cAdvisor, kube-state-metrics, the services) tells the same story.
 *
 * Shape, after a typical EKS node: a few DaemonSet pods in kube-system (the VPC CNI,
 * kube-proxy, the EBS CSI node plugin), the rest application pods of Deployments, two
 * replicas per Deployment on this node, spread over four namespaces, each Deployment
 * behind an annotated Service; every fifth application pod (the second, seventh, ...) mounts a PersistentVolumeClaim.
 * One container crash-loops after an OOM kill, so the alerts' inputs are not all zero.
 */
import { unitHash } from "./exposition";

export interface NodeShape {
  nodeName: string;
  pods: number;
  containersPerPod: number;
}

export interface ContainerModel {
  name: string;
  image: string;
  containerId: string;
  requests: { cpu: number; memory: number };
  /** Absent for containers without limits (no CFS quota, so no cfs_* series). */
  limits?: { cpu: number; memory: number };
  waitingReason?: string;
  lastTerminatedReason?: string;
}

export interface PodModel {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  ownerKind: "ReplicaSet" | "DaemonSet";
  ownerName: string;
  deployment?: string;
  /** The Service in front of an application pod; its pods expose http_* metrics. */
  service?: string;
  qosClass: "Burstable" | "Guaranteed";
  containers: ContainerModel[];
  persistentVolumeClaim?: string;
  sandboxId: string;
}

export interface DeploymentModel {
  namespace: string;
  name: string;
  replicas: number;
  replicaSet: string;
}

export interface NodeModel {
  shape: NodeShape;
  nodeIp: string;
  pods: PodModel[];
  deployments: DeploymentModel[];
  namespaces: string[];
  /** The application namespaces (dashboards' $namespace takes each). */
  appNamespaces: string[];
}

const SYSTEM_DAEMONSETS = [
  { name: "aws-node", image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.18.3" },
  { name: "kube-proxy", image: "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.30.0-eksbuild.3" },
  { name: "ebs-csi-node", image: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.32.0" },
];
const APP_NAMESPACES = ["payments", "orders", "catalog", "search"];
const SIDECARS = ["envoy", "log-router", "config-reloader"];

function hex(key: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += Math.floor(unitHash(`${key}/${i}`) * 0xffffffff).toString(16).padStart(8, "0");
  return out.slice(0, length);
}

function uid(key: string): string {
  const h = hex(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function buildNodeModel(shape: NodeShape): NodeModel {
  if (shape.pods < 2 || shape.containersPerPod < 1) throw new Error("a generated node needs at least 2 pods and 1 container per pod");
  const systemPods = Math.min(SYSTEM_DAEMONSETS.length, shape.pods - 1);
  const pods: PodModel[] = [];
  const deployments: DeploymentModel[] = [];
  const podIp = (i: number) => `10.0.${Math.floor(i / 200) + 1}.${(i % 200) + 10}`;

  for (let i = 0; i < systemPods; i++) {
    const ds = SYSTEM_DAEMONSETS[i];
    const name = `${ds.name}-${hex(`${shape.nodeName}/${ds.name}`, 5)}`;
    pods.push({
      namespace: "kube-system",
      name,
      uid: uid(name),
      ip: podIp(i),
      ownerKind: "DaemonSet",
      ownerName: ds.name,
      qosClass: "Burstable",
      sandboxId: hex(`${name}/sandbox`, 64),
      containers: Array.from({ length: shape.containersPerPod }, (_, c) => ({
        name: c === 0 ? ds.name : `${ds.name}-${SIDECARS[(c - 1) % SIDECARS.length]}${c > SIDECARS.length ? c : ""}`,
        image: ds.image,
        containerId: hex(`${name}/${c}`, 64),
        requests: { cpu: 0.025, memory: 32 * 2 ** 20 },
      })),
    });
  }

  for (let i = systemPods; i < shape.pods; i++) {
    const app = i - systemPods;
    const deploymentIndex = Math.floor(app / 2);
    const namespace = APP_NAMESPACES[deploymentIndex % APP_NAMESPACES.length];
    const deployment = `svc-${deploymentIndex}`;
    const replicaSet = `${deployment}-${hex(`${namespace}/${deployment}/rs`, 10)}`;
    if (app % 2 === 0) deployments.push({ namespace, name: deployment, replicas: Math.min(2, shape.pods - i), replicaSet });
    const name = `${replicaSet}-${hex(`${namespace}/${deployment}/${app}`, 5)}`;
    const guaranteed = app % 3 === 0;
    const containers: ContainerModel[] = Array.from({ length: shape.containersPerPod }, (_, c) => {
      const requests = c === 0 ? { cpu: 0.25, memory: 256 * 2 ** 20 } : { cpu: 0.05, memory: 64 * 2 ** 20 };
      return {
        name: c === 0 ? "app" : `${SIDECARS[(c - 1) % SIDECARS.length]}${c > SIDECARS.length ? c : ""}`,
        image: c === 0 ? `111111111111.dkr.ecr.us-east-1.amazonaws.com/${deployment}:1.4.${deploymentIndex}` : `public.ecr.aws/sidecars/${SIDECARS[(c - 1) % SIDECARS.length]}:2.1.0`,
        containerId: hex(`${name}/${c}`, 64),
        requests,
        limits: guaranteed || c === 0 ? { cpu: requests.cpu * (guaranteed ? 1 : 2), memory: requests.memory * (guaranteed ? 1 : 2) } : undefined,
      };
    });
    // The third application pod's main container crash-loops after an OOM kill.
    if (app === 2) Object.assign(containers[0], { waitingReason: "CrashLoopBackOff", lastTerminatedReason: "OOMKilled" });
    pods.push({
      namespace,
      name,
      uid: uid(name),
      ip: podIp(i),
      ownerKind: "ReplicaSet",
      ownerName: replicaSet,
      deployment,
      service: deployment,
      qosClass: guaranteed ? "Guaranteed" : "Burstable",
      containers,
      persistentVolumeClaim: app % 5 === 1 ? `data-${name}` : undefined,
      sandboxId: hex(`${name}/sandbox`, 64),
    });
  }
  const appNamespaces = APP_NAMESPACES.filter((ns) => pods.some((p) => p.namespace === ns));
  return { shape, nodeIp: "10.0.0.5", pods, deployments, namespaces: ["kube-system", ...appNamespaces], appNamespaces };
}
