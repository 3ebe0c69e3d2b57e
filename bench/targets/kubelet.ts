/**
 * The kubelet's own `/metrics` for a generated node: its runtime, PLEG, pod-worker, volume
 * and REST-client instrumentation, the per-PVC volume stats the rules read, the per-container
 * log usage, and the Go runtime.
 *
 * Names, types, labels and bucket layouts follow the kubelet's metric definitions
 * (kubernetes/kubernetes pkg/kubelet/metrics/metrics.go: e.g. runtime_operations_duration_seconds
 * with ExponentialBuckets(.005, 2.5, 14) by operation_type; pkg/kubelet/metrics/collectors/
 * volume_stats.go for kubelet_volume_stats_*; log_metrics.go for
 * kubelet_container_log_filesystem_used_bytes) and component-base's REST client metrics
 * (staging/src/k8s.io/component-base/metrics/prometheus/restclient).
 */
import { Clock, Family, Sample, counter, exponentialBuckets, gauge, histogramSamples } from "./exposition";
import { goRuntimeFamilies } from "./go-runtime";
import { NodeModel } from "./node-model";

const RUNTIME_OPERATIONS = ["container_status", "create_container", "exec_sync", "image_status", "list_containers", "list_images", "list_podsandbox", "list_podsandbox_stats", "podsandbox_status", "remove_container", "run_podsandbox", "start_container", "status", "stop_container", "update_runtime_config", "version"];
const RUNTIME_BUCKETS = exponentialBuckets(0.005, 2.5, 14);
const POD_START_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REST_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

function histogram(name: string, help: string, series: Array<Record<string, string>>, bounds: readonly number[], t: number, perSecond: number, median: number): Family {
  return { name, type: "histogram", help, samples: series.flatMap((labels) => histogramSamples(labels, bounds, Math.floor(counter(`${name}/${JSON.stringify(labels)}`, t, perSecond, 100)), median)) };
}

const WORKQUEUES = ["DesiredStateOfWorldPopulator", "volumemanager", "pod_worker", "certificate"].map((name) => ({ name }));

function workqueueFamilies(t: number): Family[] {
  return [
    { name: "workqueue_adds_total", type: "counter", help: "Total number of adds handled by workqueue", samples: WORKQUEUES.map((labels) => ({ labels, value: Math.floor(counter(`wq/${labels.name}`, t, 0.1, 10)) })) },
    { name: "workqueue_depth", type: "gauge", help: "Current depth of workqueue", samples: WORKQUEUES.map((labels) => ({ labels, value: 0 })) },
    { name: "workqueue_retries_total", type: "counter", help: "Total number of retries handled by workqueue", samples: WORKQUEUES.map((labels) => ({ labels, value: 0 })) },
    histogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.", WORKQUEUES, exponentialBuckets(1e-8, 10, 10), t, 0.1, 1e-4),
    histogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.", WORKQUEUES, exponentialBuckets(1e-8, 10, 10), t, 0.1, 1e-3),
  ];
}

export function kubeletFamilies(model: NodeModel, clock: Clock): Family[] {
  const t = clock();
  const node = model.shape.nodeName;
  const pvcs = model.pods.filter((p) => p.persistentVolumeClaim);
  const containers = model.pods.flatMap((p) => p.containers.map((c) => ({ uid: p.uid, namespace: p.namespace, pod: p.name, container: c.name })));
  const volume = (name: string, help: string, value: (key: string) => number): Family => ({
    name, type: "gauge", help, samples: pvcs.map((p): Sample => ({ labels: { namespace: p.namespace, persistentvolumeclaim: p.persistentVolumeClaim! }, value: value(p.persistentVolumeClaim!) })),
  });
  const capacity = 20 * 2 ** 30;
  const used = (key: string) => gauge(`${key}/used`, t, capacity * 0.4, 0.1);
  const ops = RUNTIME_OPERATIONS.map((operation_type) => ({ operation_type }));
  return [
    { name: "kubernetes_build_info", type: "gauge", help: "A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.", samples: [{ labels: { major: "1", minor: "30", git_version: "v1.30.0-eks-036c24b", git_commit: "036c24b", git_tree_state: "archive", build_date: "2024-04-30T23:53:58Z", go_version: "go1.22.2", compiler: "gc", platform: "linux/amd64" }, value: 1 }] },
    { name: "kubelet_node_name", type: "gauge", help: "The node's name. The count is always 1.", samples: [{ labels: { node }, value: 1 }] },
    { name: "kubelet_running_pods", type: "gauge", help: "Number of pods that have a running pod sandbox", samples: [{ labels: {}, value: model.pods.length }] },
    { name: "kubelet_running_containers", type: "gauge", help: "Number of containers currently running", samples: ["created", "exited", "running", "unknown"].map((container_state) => ({ labels: { container_state }, value: container_state === "running" ? containers.length : container_state === "exited" ? 1 : 0 })) },
    { name: "kubelet_desired_pods", type: "gauge", help: "The number of pods the kubelet is being instructed to run.", samples: [{ labels: { static: "" }, value: model.pods.length }, { labels: { static: "true" }, value: 0 }] },
    { name: "kubelet_active_pods", type: "gauge", help: "The number of pods the kubelet considers active.", samples: [{ labels: { static: "" }, value: model.pods.length }, { labels: { static: "true" }, value: 0 }] },
    { name: "kubelet_runtime_operations_total", type: "counter", help: "Cumulative number of runtime operations by operation type.", samples: ops.map((labels) => ({ labels, value: Math.floor(counter(`rt/${labels.operation_type}`, t, 2, 1e4)) })) },
    { name: "kubelet_runtime_operations_errors_total", type: "counter", help: "Cumulative number of runtime operation errors by operation type.", samples: [{ labels: { operation_type: "container_status" }, value: 3 }, { labels: { operation_type: "exec_sync" }, value: 12 }] },
    histogram("kubelet_runtime_operations_duration_seconds", "Duration in seconds of runtime operations. Broken down by operation type.", ops, RUNTIME_BUCKETS, t, 2, 0.01),
    histogram("kubelet_pod_start_duration_seconds", "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run", [{}], POD_START_BUCKETS, t, 0.001, 4),
    histogram("kubelet_pod_start_sli_duration_seconds", "Duration in seconds to start a pod, excluding time to pull images and run init containers", [{}], POD_START_BUCKETS, t, 0.001, 2),
    histogram("kubelet_pod_worker_duration_seconds", "Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync", ["create", "sync", "update"].map((operation_type) => ({ operation_type })), DEFAULT_BUCKETS, t, 1, 0.05),
    histogram("kubelet_pod_worker_start_duration_seconds", "Duration in seconds from kubelet seeing a pod to starting a worker.", [{}], DEFAULT_BUCKETS, t, 0.001, 0.001),
    histogram("kubelet_pleg_relist_duration_seconds", "Duration in seconds for relisting pods in PLEG.", [{}], DEFAULT_BUCKETS, t, 1, 0.02),
    histogram("kubelet_pleg_relist_interval_seconds", "Interval in seconds between relisting in PLEG.", [{}], DEFAULT_BUCKETS, t, 1, 1),
    histogram("kubelet_cgroup_manager_duration_seconds", "Duration in seconds for cgroup manager operations. Broken down by method.", ["create", "destroy", "update"].map((operation_type) => ({ operation_type })), DEFAULT_BUCKETS, t, 0.1, 0.01),
    histogram("kubelet_http_requests_duration_seconds", "Duration in seconds to serve http requests", ["metrics", "metrics/cadvisor", "metrics/probes", "metrics/resource", "stats", "pods"].map((path) => ({ long_running: "false", method: "GET", path, server_type: "readonly" })), DEFAULT_BUCKETS, t, 0.05, 0.05),
    { name: "kubelet_http_requests_total", type: "counter", help: "Number of the http requests received since the server started", samples: ["metrics", "metrics/cadvisor", "metrics/probes", "metrics/resource", "stats", "pods"].map((path) => ({ labels: { long_running: "false", method: "GET", path, server_type: "readonly" }, value: Math.floor(counter(`http/${path}`, t, 0.05, 100)) })) },
    histogram("storage_operation_duration_seconds", "Storage operation duration", [["volume_attach", "kubernetes.io/csi:ebs.csi.aws.com"], ["volume_mount", "kubernetes.io/csi:ebs.csi.aws.com"], ["volume_mount", "kubernetes.io/configmap"], ["volume_mount", "kubernetes.io/secret"], ["volume_mount", "kubernetes.io/projected"], ["volume_unmount", "kubernetes.io/projected"], ["verify_controller_attached_volume", "kubernetes.io/csi:ebs.csi.aws.com"]].map(([operation_name, volume_plugin]) => ({ migrated: "false", operation_name, status: "success", volume_plugin })), [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 25, 50, 120, 300, 600], t, 0.01, 0.3),
    histogram("rest_client_request_duration_seconds", "Request latency in seconds. Broken down by verb, and host.", ["GET", "PATCH", "POST", "PUT"].map((verb) => ({ host: "ABCD.gr7.us-east-1.eks.amazonaws.com", verb })), REST_BUCKETS, t, 0.5, 0.02),
    histogram("rest_client_rate_limiter_duration_seconds", "Client side rate limiter latency in seconds. Broken down by verb, and host.", ["GET", "PATCH", "POST", "PUT"].map((verb) => ({ host: "ABCD.gr7.us-east-1.eks.amazonaws.com", verb })), REST_BUCKETS, t, 0.5, 0.0001),
    { name: "rest_client_requests_total", type: "counter", help: "Number of HTTP requests, partitioned by status code, method, and host.", samples: [["200", "GET"], ["200", "PATCH"], ["201", "POST"], ["200", "PUT"], ["404", "GET"], ["409", "PUT"]].map(([code, method]) => ({ labels: { code, host: "ABCD.gr7.us-east-1.eks.amazonaws.com", method }, value: Math.floor(counter(`rest/${code}/${method}`, t, 0.3, 1000)) })) },
    ...workqueueFamilies(t),
    volume("kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", () => capacity),
    volume("kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", (key) => capacity - used(key)),
    volume("kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", used),
    volume("kubelet_volume_stats_inodes", "Maximum number of inodes in the volume", () => 1_310_720),
    volume("kubelet_volume_stats_inodes_free", "Number of free inodes in the volume", () => 1_310_000),
    volume("kubelet_volume_stats_inodes_used", "Number of used inodes in the volume", () => 720),
    volume("kubelet_volume_stats_health_status_abnormal", "Abnormal volume health status. The count is either 1 or 0.", () => 0),
    { name: "kubelet_container_log_filesystem_used_bytes", type: "gauge", help: "Bytes used by the container's logs on the filesystem.", samples: containers.map((labels) => ({ labels, value: gauge(`log/${labels.pod}/${labels.container}`, t, 2e6, 0.3) })) },
    ...goRuntimeFamilies(`kubelet/${node}`, t),
  ];
}
