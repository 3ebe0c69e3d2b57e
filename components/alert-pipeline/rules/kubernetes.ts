/**
 * Kubernetes and node health: pods that crash, wait or never get ready, OOM kills, nodes
 * that are not ready or under pressure, CPU and memory saturation, and volumes filling up.
 * Metrics from kube-state-metrics, node-exporter, cAdvisor and the kubelet; every
 * aggregation keeps `account` and `cluster`, the collector's external labels.
 */
import { alertingRule, RecordingRule, RuleGroup, selector } from "./model";
import { RuleSettings } from "./settings";

const POD = "account, cluster, namespace, pod";
const CONTAINER = "account, cluster, namespace, pod, container";
const NODE = "account, cluster, instance";
const PVC = "account, cluster, namespace, persistentvolumeclaim";

export const KUBERNETES_RECORDS = {
  containerMemoryLimitRatio: "namespace_pod_container:container_memory_working_set_bytes:ratio_limit",
  containerCpuThrottledRatio: "namespace_pod_container:container_cpu_cfs_throttled:ratio_rate5m",
  nodeCpuUtilisation: "instance:node_cpu_utilisation:rate5m",
  nodeMemoryUtilisation: "instance:node_memory_utilisation:ratio",
  clusterCpuRequestsCommitment: "cluster:kube_pod_container_resource_requests_cpu:ratio_allocatable",
  clusterMemoryRequestsCommitment: "cluster:kube_pod_container_resource_requests_memory:ratio_allocatable",
  volumeAvailableRatio: "namespace_persistentvolumeclaim:kubelet_volume_stats_available:ratio",
} as const;

function podsGroup(s: RuleSettings): RuleGroup {
  const ksm = s.selectors.kubeStateMetrics;
  const cadvisor = s.selectors.cadvisor;
  const t = s.thresholds;
  const r = KUBERNETES_RECORDS;
  const records: RecordingRule[] = [
    {
      record: r.containerMemoryLimitRatio,
      expr:
        `sum by (${CONTAINER}) (container_memory_working_set_bytes${selector(cadvisor, 'container!=""', 'image!=""')})` +
        ` / sum by (${CONTAINER}) (kube_pod_container_resource_limits${selector(ksm, 'resource="memory"')})`,
    },
    {
      record: r.containerCpuThrottledRatio,
      expr:
        `sum by (${CONTAINER}) (rate(container_cpu_cfs_throttled_periods_total${selector(cadvisor, 'container!=""')}[5m]))` +
        ` / sum by (${CONTAINER}) (rate(container_cpu_cfs_periods_total${selector(cadvisor, 'container!=""')}[5m]))`,
    },
  ];
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "kubernetes", definition);
  return {
    name: "kubernetes-pods",
    concern: "kubernetes",
    interval: s.evaluationInterval,
    rules: [
      ...records,
      alert({
        id: "KubePodCrashLooping",
        severity: "warning",
        expr: `max by (${CONTAINER}) (max_over_time(kube_pod_container_status_waiting_reason${selector(ksm, 'reason="CrashLoopBackOff"')}[5m])) >= 1`,
        summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping",
        description:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.cluster }} (account {{ $labels.account }}) keeps restarting (CrashLoopBackOff).",
      }),
      alert({
        id: "KubePodNotReady",
        severity: "warning",
        // Pods owned by Jobs are left out: a failed Job attempt is KubeJobFailed's business.
        expr:
          `max by (${POD}) (kube_pod_status_phase${selector(ksm, 'phase=~"Pending|Unknown|Failed"')})` +
          ` * on (${POD}) max by (${POD}) (kube_pod_owner${selector(ksm, 'owner_kind!="Job"')}) > 0`,
        summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} is not ready",
        description:
          "Pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.cluster }} (account {{ $labels.account }}) has been Pending, Unknown or Failed for longer than the alert's pending time.",
      }),
      alert({
        id: "KubeContainerOOMKilled",
        severity: "warning",
        expr:
          `max by (${CONTAINER}) (increase(kube_pod_container_status_restarts_total${selector(ksm)}[10m])) > 0` +
          ` and on (${CONTAINER}) max by (${CONTAINER}) (kube_pod_container_status_last_terminated_reason${selector(ksm, 'reason="OOMKilled"')}) == 1`,
        summary: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} was OOM killed",
        description:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.cluster }} restarted in the last 10 minutes after being killed for exceeding its memory limit.",
      }),
      alert({
        id: "KubeContainerWaiting",
        severity: "warning",
        expr: `max by (${CONTAINER}, reason) (kube_pod_container_status_waiting_reason${selector(ksm, 'reason!="CrashLoopBackOff"')}) == 1`,
        summary: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is stuck waiting ({{ $labels.reason }})",
        description:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.cluster }} has been waiting with reason {{ $labels.reason }} for over an hour.",
      }),
      alert({
        id: "KubeDeploymentReplicasMismatch",
        severity: "warning",
        expr:
          `max by (account, cluster, namespace, deployment) (kube_deployment_spec_replicas${selector(ksm)})` +
          ` > max by (account, cluster, namespace, deployment) (kube_deployment_status_replicas_available${selector(ksm)})`,
        summary: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is missing replicas",
        description:
          "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} in cluster {{ $labels.cluster }} has had fewer available replicas than desired for longer than the alert's pending time.",
      }),
      alert({
        id: "KubeJobFailed",
        severity: "warning",
        expr: `max by (account, cluster, namespace, job_name) (kube_job_failed${selector(ksm, 'condition="true"')}) > 0`,
        summary: "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed",
        description:
          "Job {{ $labels.namespace }}/{{ $labels.job_name }} in cluster {{ $labels.cluster }} failed to complete. Removing the failed Job clears the alert.",
      }),
      alert({
        id: "KubeContainerMemoryNearLimit",
        severity: "warning",
        expr: `${r.containerMemoryLimitRatio} > ${t.containerMemoryNearLimitRatio}`,
        summary: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is near its memory limit",
        description:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} in cluster {{ $labels.cluster }} uses {{ $value | humanizePercentage }} of its memory limit; it will be OOM killed when it reaches it.",
      }),
      alert({
        id: "KubeCPUThrottlingHigh",
        severity: "info",
        expr: `${r.containerCpuThrottledRatio} > ${t.cpuThrottlingRatio}`,
        summary: "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is CPU throttled",
        description:
          "{{ $value | humanizePercentage }} of the CPU periods of container {{ $labels.container }} in pod {{ $labels.namespace }}/{{ $labels.pod }} (cluster {{ $labels.cluster }}) are throttled by its CPU limit.",
      }),
    ],
  };
}

function nodesGroup(s: RuleSettings): RuleGroup {
  const ksm = s.selectors.kubeStateMetrics;
  const ne = s.selectors.nodeExporter;
  const fs = selector(ne, s.selectors.nodeFilesystems);
  const t = s.thresholds;
  const r = KUBERNETES_RECORDS;
  // Requests of pods that still hold their resources (Pending or Running), over allocatable.
  const commitment = (resource: string) =>
    `sum by (account, cluster) (kube_pod_container_resource_requests${selector(ksm, `resource="${resource}"`)}` +
    ` * on (${POD}) group_left () max by (${POD}) (kube_pod_status_phase${selector(ksm, 'phase=~"Pending|Running"')} == 1))` +
    ` / sum by (account, cluster) (kube_node_status_allocatable${selector(ksm, `resource="${resource}"`)})`;
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "kubernetes", definition);
  return {
    name: "kubernetes-nodes",
    concern: "kubernetes",
    interval: s.evaluationInterval,
    rules: [
      {
        record: r.nodeCpuUtilisation,
        expr: `1 - avg by (${NODE}) (sum without (mode) (rate(node_cpu_seconds_total${selector(ne, 'mode=~"idle|iowait|steal"')}[5m])))`,
      },
      {
        record: r.nodeMemoryUtilisation,
        expr: `1 - sum by (${NODE}) (node_memory_MemAvailable_bytes${selector(ne)}) / sum by (${NODE}) (node_memory_MemTotal_bytes${selector(ne)})`,
      },
      { record: r.clusterCpuRequestsCommitment, expr: commitment("cpu") },
      { record: r.clusterMemoryRequestsCommitment, expr: commitment("memory") },
      alert({
        id: "KubeNodeNotReady",
        severity: "warning",
        expr: `max by (account, cluster, node) (kube_node_status_condition${selector(ksm, 'condition="Ready"', 'status="true"')}) == 0`,
        summary: "Node {{ $labels.node }} is not ready",
        description: "Node {{ $labels.node }} in cluster {{ $labels.cluster }} (account {{ $labels.account }}) has not been Ready for longer than the alert's pending time.",
      }),
      alert({
        id: "KubeNodePressure",
        severity: "warning",
        expr: `max by (account, cluster, node, condition) (kube_node_status_condition${selector(ksm, 'condition=~"MemoryPressure|DiskPressure|PIDPressure"', 'status="true"')}) == 1`,
        summary: "Node {{ $labels.node }} reports {{ $labels.condition }}",
        description: "Node {{ $labels.node }} in cluster {{ $labels.cluster }} reports {{ $labels.condition }}; the kubelet is evicting pods or refusing new ones.",
      }),
      alert({
        id: "NodeCPUSaturated",
        severity: "warning",
        expr: `${r.nodeCpuUtilisation} > ${t.nodeCpuUtilisationRatio}`,
        summary: "Node {{ $labels.instance }} CPU is saturated",
        description: "Node {{ $labels.instance }} in cluster {{ $labels.cluster }} has used {{ $value | humanizePercentage }} of its CPU over the last 5 minutes.",
      }),
      alert({
        id: "NodeMemorySaturated",
        severity: "warning",
        expr: `${r.nodeMemoryUtilisation} > ${t.nodeMemoryUtilisationRatio}`,
        summary: "Node {{ $labels.instance }} memory is saturated",
        description: "Node {{ $labels.instance }} in cluster {{ $labels.cluster }} uses {{ $value | humanizePercentage }} of its memory; the kernel may start OOM killing.",
      }),
      alert({
        id: "NodeFilesystemAlmostFull",
        severity: "warning",
        expr:
          `node_filesystem_avail_bytes${fs} / node_filesystem_size_bytes${fs} < ${t.nodeFilesystemAvailableRatio}` +
          ` and node_filesystem_readonly${fs} == 0`,
        summary: "Filesystem {{ $labels.mountpoint }} on node {{ $labels.instance }} is almost full",
        description: "Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) on node {{ $labels.instance }} in cluster {{ $labels.cluster }} has only {{ $value | humanizePercentage }} space left.",
      }),
      alert({
        id: "KubeCPURequestsCommitmentHigh",
        severity: "warning",
        expr: `${r.clusterCpuRequestsCommitment} > ${t.cpuRequestsCommitmentRatio}`,
        summary: "Cluster {{ $labels.cluster }} has committed most of its CPU",
        description: "Pods in cluster {{ $labels.cluster }} (account {{ $labels.account }}) request {{ $value | humanizePercentage }} of the nodes' allocatable CPU; new pods may stay Pending.",
      }),
      alert({
        id: "KubeMemoryRequestsCommitmentHigh",
        severity: "warning",
        expr: `${r.clusterMemoryRequestsCommitment} > ${t.memoryRequestsCommitmentRatio}`,
        summary: "Cluster {{ $labels.cluster }} has committed most of its memory",
        description: "Pods in cluster {{ $labels.cluster }} (account {{ $labels.account }}) request {{ $value | humanizePercentage }} of the nodes' allocatable memory; new pods may stay Pending.",
      }),
    ],
  };
}

function storageGroup(s: RuleSettings): RuleGroup {
  const kubelet = s.selectors.kubelet;
  const ksm = s.selectors.kubeStateMetrics;
  const t = s.thresholds;
  const r = KUBERNETES_RECORDS;
  const predictSeconds = Math.round(t.persistentVolumeFillPredictionHours * 3600);
  const alert = (definition: Parameters<typeof alertingRule>[2]) => alertingRule(s, "kubernetes", definition);
  return {
    name: "kubernetes-storage",
    concern: "kubernetes",
    interval: s.evaluationInterval,
    rules: [
      {
        record: r.volumeAvailableRatio,
        expr:
          `sum by (${PVC}) (kubelet_volume_stats_available_bytes${selector(kubelet)})` +
          ` / sum by (${PVC}) (kubelet_volume_stats_capacity_bytes${selector(kubelet)})`,
      },
      alert({
        id: "KubePersistentVolumeFillingUp:critical",
        severity: "critical",
        expr: `${r.volumeAvailableRatio} < ${t.persistentVolumeAvailableCriticalRatio}`,
        summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full",
        description: "The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} in cluster {{ $labels.cluster }} has only {{ $value | humanizePercentage }} free.",
      }),
      alert({
        id: "KubePersistentVolumeFillingUp:warning",
        severity: "warning",
        expr:
          `${r.volumeAvailableRatio} < ${t.persistentVolumeAvailableWarningRatio}` +
          ` and on (${PVC}) sum by (${PVC}) (predict_linear(kubelet_volume_stats_available_bytes${selector(kubelet)}[6h], ${predictSeconds})) < 0`,
        summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is filling up",
        description: `The volume claimed by {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} in cluster {{ $labels.cluster }} has {{ $value | humanizePercentage }} free and, at the rate of the last 6 hours, fills up within ${t.persistentVolumeFillPredictionHours} hours.`,
      }),
      alert({
        id: "KubePersistentVolumeErrors",
        severity: "critical",
        expr: `max by (account, cluster, persistentvolume, phase) (kube_persistentvolume_status_phase${selector(ksm, 'phase=~"Failed|Pending"')}) > 0`,
        summary: "Persistent volume {{ $labels.persistentvolume }} is {{ $labels.phase }}",
        description: "Persistent volume {{ $labels.persistentvolume }} in cluster {{ $labels.cluster }} is in phase {{ $labels.phase }}; the workloads that claim it cannot start.",
      }),
    ],
  };
}

export function kubernetesGroups(settings: RuleSettings): RuleGroup[] {
  return [podsGroup(settings), nodesGroup(settings), storageGroup(settings)];
}
