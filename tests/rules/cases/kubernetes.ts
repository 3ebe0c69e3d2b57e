import { EXTERNAL, RuleTestCase, runbook, series, WHERE } from "./model";

const KSM = { ...EXTERNAL, job: "kube-state-metrics", instance: "10.0.3.7:8080" };
const CADVISOR = { ...EXTERNAL, job: "cadvisor", instance: "ip-10-0-1-5", node: "ip-10-0-1-5" };
const NODE_EXPORTER = { ...EXTERNAL, job: "node-exporter", instance: "ip-10-0-1-5", node: "ip-10-0-1-5" };
const KUBELET = { ...EXTERNAL, job: "kubelet", instance: "ip-10-0-1-5", node: "ip-10-0-1-5" };
const POD = { namespace: "shop", pod: "api-7c9d-x2x", container: "api" };
const TEAM = { team: "platform" };

const crashLoopSeries = (values: string) => ({
  series: series("kube_pod_container_status_waiting_reason", { ...KSM, ...POD, reason: "CrashLoopBackOff" }),
  values,
});

const podPhase = (pod: string, phase: string, ownerKind: string) => [
  ...["Pending", "Running", "Succeeded", "Failed", "Unknown"].map((p) => ({
    series: series("kube_pod_status_phase", { ...KSM, namespace: "shop", pod, phase: p }),
    values: p === phase ? "1x30" : "0x30",
  })),
  { series: series("kube_pod_owner", { ...KSM, namespace: "shop", pod, owner_kind: ownerKind, owner_name: "owner" }), values: "1x30" },
];

const oomSeries = (reason: string) => [
  { series: series("kube_pod_container_status_restarts_total", { ...KSM, ...POD }), values: "0x5 1x10" },
  { series: series("kube_pod_container_status_last_terminated_reason", { ...KSM, ...POD, reason }), values: "1x15" },
];

const memorySeries = (workingSetBytes: number) => [
  { series: series("container_memory_working_set_bytes", { ...CADVISOR, ...POD, image: "shop/api:1.4.2" }), values: `${workingSetBytes}x30` },
  // The pod-level cgroup (container="") must not count against the container's limit.
  { series: series("container_memory_working_set_bytes", { ...CADVISOR, namespace: POD.namespace, pod: POD.pod, container: "", image: "" }), values: "5000x30" },
  { series: series("kube_pod_container_resource_limits", { ...KSM, ...POD, resource: "memory", unit: "byte" }), values: "1024x30" },
];

const throttleSeries = (throttledPerMinute: number) => [
  { series: series("container_cpu_cfs_throttled_periods_total", { ...CADVISOR, ...POD, image: "shop/api:1.4.2" }), values: `0+${throttledPerMinute}x30` },
  { series: series("container_cpu_cfs_periods_total", { ...CADVISOR, ...POD, image: "shop/api:1.4.2" }), values: "0+120x30" },
];

const nodeCpuSeries = (idlePerMinute: number) =>
  ["0", "1"].flatMap((cpu) => [
    { series: series("node_cpu_seconds_total", { ...NODE_EXPORTER, cpu, mode: "idle" }), values: `0+${idlePerMinute}x40` },
    { series: series("node_cpu_seconds_total", { ...NODE_EXPORTER, cpu, mode: "user" }), values: `0+${60 - idlePerMinute}x40` },
  ]);

const nodeMemorySeries = (available: number) => [
  { series: series("node_memory_MemAvailable_bytes", NODE_EXPORTER), values: `${available}x30` },
  { series: series("node_memory_MemTotal_bytes", NODE_EXPORTER), values: "1024x30" },
];

const ROOT_FS = { device: "/dev/nvme0n1p1", fstype: "xfs", mountpoint: "/" };
const filesystemSeries = (fs: Record<string, string>, avail: number) => [
  { series: series("node_filesystem_avail_bytes", { ...NODE_EXPORTER, ...fs }), values: `${avail}x40` },
  { series: series("node_filesystem_size_bytes", { ...NODE_EXPORTER, ...fs }), values: "100x40" },
  { series: series("node_filesystem_readonly", { ...NODE_EXPORTER, ...fs }), values: "0x40" },
];

/** Two nodes of 2 allocatable units; pod a requests 1.5, pod b 2.25, pod c 5 (Succeeded). */
const commitmentSeries = (resource: string, podBPhase: string) => [
  ...["ip-10-0-1-5", "ip-10-0-1-6"].map((node) => ({
    series: series("kube_node_status_allocatable", { ...KSM, node, resource, unit: resource === "cpu" ? "core" : "byte" }),
    values: "2x30",
  })),
  ...[
    ["a", 1.5, "Running"],
    ["b", 2.25, podBPhase],
    ["c", 5, "Succeeded"],
  ].flatMap(([pod, request, phase]) => [
    {
      series: series("kube_pod_container_resource_requests", { ...KSM, namespace: "shop", pod: `api-${pod}`, container: "api", node: "ip-10-0-1-5", resource, unit: resource === "cpu" ? "core" : "byte" }),
      values: `${request}x30`,
    },
    ...["Pending", "Running", "Succeeded"].map((p) => ({
      series: series("kube_pod_status_phase", { ...KSM, namespace: "shop", pod: `api-${pod}`, phase: p }),
      values: p === phase ? "1x30" : "0x30",
    })),
  ]),
];

const PVC = { namespace: "shop", persistentvolumeclaim: "data-postgres-0" };
const volumeSeries = (available: string) => [
  { series: series("kubelet_volume_stats_available_bytes", { ...KUBELET, ...PVC }), values: available },
  { series: series("kubelet_volume_stats_capacity_bytes", { ...KUBELET, ...PVC }), values: "1000x200" },
];

const pvPhaseSeries = (phase: string) =>
  ["Pending", "Available", "Bound", "Released", "Failed"].map((p) => ({
    series: series("kube_persistentvolume_status_phase", { ...KSM, persistentvolume: "pvc-0a1b", phase: p }),
    values: p === phase ? "1x20" : "0x20",
  }));

export const KUBERNETES_CASES: RuleTestCase[] = [
  {
    name: "KubePodCrashLooping fires after 15 minutes of CrashLoopBackOff",
    input: [crashLoopSeries("1x30")],
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubePodCrashLooping",
        firing: [
          {
            labels: { ...WHERE, ...POD, severity: "warning", ...TEAM },
            annotations: {
              summary: "Pod shop/api-7c9d-x2x is crash looping",
              description: "Container api of pod shop/api-7c9d-x2x in cluster blue (account acme-payments) keeps restarting (CrashLoopBackOff).",
              runbook_url: runbook("KubePodCrashLooping"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubePodCrashLooping stays pending when the loop is younger than 15 minutes",
    input: [crashLoopSeries("0x10 1x20")],
    evalTime: "20m",
    alerts: [{ alertname: "KubePodCrashLooping", firing: [] }],
  },
  {
    name: "KubePodNotReady fires for a Pending pod of a ReplicaSet",
    input: podPhase("api-7c9d-x2x", "Pending", "ReplicaSet"),
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubePodNotReady",
        firing: [
          {
            labels: { ...WHERE, namespace: "shop", pod: "api-7c9d-x2x", severity: "warning", ...TEAM },
            annotations: {
              summary: "Pod shop/api-7c9d-x2x is not ready",
              description: "Pod shop/api-7c9d-x2x in cluster blue (account acme-payments) has been Pending, Unknown or Failed for longer than the alert's pending time.",
              runbook_url: runbook("KubePodNotReady"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubePodNotReady ignores a failed pod owned by a Job",
    input: podPhase("backup-28391-abcde", "Failed", "Job"),
    evalTime: "20m",
    alerts: [{ alertname: "KubePodNotReady", firing: [] }],
  },
  {
    name: "KubeContainerOOMKilled fires on a restart whose last termination was OOMKilled",
    input: oomSeries("OOMKilled"),
    evalTime: "10m",
    alerts: [
      {
        alertname: "KubeContainerOOMKilled",
        firing: [
          {
            labels: { ...WHERE, ...POD, severity: "warning", ...TEAM },
            annotations: {
              summary: "Container api of shop/api-7c9d-x2x was OOM killed",
              description: "Container api of pod shop/api-7c9d-x2x in cluster blue restarted in the last 10 minutes after being killed for exceeding its memory limit.",
              runbook_url: runbook("KubeContainerOOMKilled"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeContainerOOMKilled stays quiet when the restart had another reason",
    input: oomSeries("Error"),
    evalTime: "10m",
    alerts: [{ alertname: "KubeContainerOOMKilled", firing: [] }],
  },
  {
    name: "KubeContainerWaiting fires after an hour of ImagePullBackOff",
    input: [{ series: series("kube_pod_container_status_waiting_reason", { ...KSM, ...POD, reason: "ImagePullBackOff" }), values: "1x80" }],
    evalTime: "70m",
    alerts: [
      {
        alertname: "KubeContainerWaiting",
        firing: [
          {
            labels: { ...WHERE, ...POD, reason: "ImagePullBackOff", severity: "warning", ...TEAM },
            annotations: {
              summary: "Container api of shop/api-7c9d-x2x is stuck waiting (ImagePullBackOff)",
              description: "Container api of pod shop/api-7c9d-x2x in cluster blue has been waiting with reason ImagePullBackOff for over an hour.",
              runbook_url: runbook("KubeContainerWaiting"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeContainerWaiting leaves CrashLoopBackOff to KubePodCrashLooping",
    input: [crashLoopSeries("1x80")],
    evalTime: "70m",
    alerts: [{ alertname: "KubeContainerWaiting", firing: [] }],
  },
  {
    name: "KubeDeploymentReplicasMismatch fires when replicas stay unavailable",
    input: [
      { series: series("kube_deployment_spec_replicas", { ...KSM, namespace: "shop", deployment: "api" }), values: "3x30" },
      { series: series("kube_deployment_status_replicas_available", { ...KSM, namespace: "shop", deployment: "api" }), values: "2x30" },
    ],
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeDeploymentReplicasMismatch",
        firing: [
          {
            labels: { ...WHERE, namespace: "shop", deployment: "api", severity: "warning", ...TEAM },
            annotations: {
              summary: "Deployment shop/api is missing replicas",
              description: "Deployment shop/api in cluster blue has had fewer available replicas than desired for longer than the alert's pending time.",
              runbook_url: runbook("KubeDeploymentReplicasMismatch"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeDeploymentReplicasMismatch stays quiet with all replicas available",
    input: [
      { series: series("kube_deployment_spec_replicas", { ...KSM, namespace: "shop", deployment: "api" }), values: "3x30" },
      { series: series("kube_deployment_status_replicas_available", { ...KSM, namespace: "shop", deployment: "api" }), values: "2x10 3x20" },
    ],
    evalTime: "20m",
    alerts: [{ alertname: "KubeDeploymentReplicasMismatch", firing: [] }],
  },
  {
    name: "KubeJobFailed fires for a failed Job",
    input: [
      { series: series("kube_job_failed", { ...KSM, namespace: "shop", job_name: "nightly-export", condition: "true" }), values: "1x30" },
      { series: series("kube_job_failed", { ...KSM, namespace: "shop", job_name: "nightly-export", condition: "false" }), values: "0x30" },
    ],
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeJobFailed",
        firing: [
          {
            labels: { ...WHERE, namespace: "shop", job_name: "nightly-export", severity: "warning", ...TEAM },
            annotations: {
              summary: "Job shop/nightly-export failed",
              description: "Job shop/nightly-export in cluster blue failed to complete. Removing the failed Job clears the alert.",
              runbook_url: runbook("KubeJobFailed"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeJobFailed stays quiet for a Job that did not fail",
    input: [
      { series: series("kube_job_failed", { ...KSM, namespace: "shop", job_name: "nightly-export", condition: "true" }), values: "0x30" },
      { series: series("kube_job_failed", { ...KSM, namespace: "shop", job_name: "nightly-export", condition: "false" }), values: "1x30" },
    ],
    evalTime: "20m",
    alerts: [{ alertname: "KubeJobFailed", firing: [] }],
  },
  {
    name: "KubeContainerMemoryNearLimit fires at 93.75% of the limit",
    input: memorySeries(960),
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeContainerMemoryNearLimit",
        firing: [
          {
            labels: { ...WHERE, ...POD, severity: "warning", ...TEAM },
            annotations: {
              summary: "Container api of shop/api-7c9d-x2x is near its memory limit",
              description: "Container api of pod shop/api-7c9d-x2x in cluster blue uses 93.75% of its memory limit; it will be OOM killed when it reaches it.",
              runbook_url: runbook("KubeContainerMemoryNearLimit"),
            },
          },
        ],
      },
    ],
    records: [{ record: "namespace_pod_container:container_memory_working_set_bytes:ratio_limit", samples: [{ labels: { ...WHERE, ...POD }, value: 0.9375 }] }],
  },
  {
    name: "KubeContainerMemoryNearLimit stays quiet at 87.5% of the limit",
    input: memorySeries(896),
    evalTime: "20m",
    alerts: [{ alertname: "KubeContainerMemoryNearLimit", firing: [] }],
  },
  {
    name: "KubeCPUThrottlingHigh fires when 37.5% of CPU periods are throttled",
    input: throttleSeries(45),
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeCPUThrottlingHigh",
        firing: [
          {
            labels: { ...WHERE, ...POD, severity: "info", ...TEAM },
            annotations: {
              summary: "Container api of shop/api-7c9d-x2x is CPU throttled",
              description: "37.5% of the CPU periods of container api in pod shop/api-7c9d-x2x (cluster blue) are throttled by its CPU limit.",
              runbook_url: runbook("KubeCPUThrottlingHigh"),
            },
          },
        ],
      },
    ],
    records: [{ record: "namespace_pod_container:container_cpu_cfs_throttled:ratio_rate5m", samples: [{ labels: { ...WHERE, ...POD }, value: 0.375 }] }],
  },
  {
    name: "KubeCPUThrottlingHigh stays quiet at 12.5% throttled",
    input: throttleSeries(15),
    evalTime: "20m",
    alerts: [{ alertname: "KubeCPUThrottlingHigh", firing: [] }],
  },
  {
    name: "KubeNodeNotReady fires for a node that is not Ready",
    input: [
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "Ready", status: "true" }), values: "0x30" },
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "Ready", status: "false" }), values: "1x30" },
    ],
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeNodeNotReady",
        firing: [
          {
            labels: { ...WHERE, node: "ip-10-0-1-5", severity: "warning", ...TEAM },
            annotations: {
              summary: "Node ip-10-0-1-5 is not ready",
              description: "Node ip-10-0-1-5 in cluster blue (account acme-payments) has not been Ready for longer than the alert's pending time.",
              runbook_url: runbook("KubeNodeNotReady"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeNodeNotReady stays quiet for a Ready node",
    input: [
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "Ready", status: "true" }), values: "1x30" },
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "Ready", status: "false" }), values: "0x30" },
    ],
    evalTime: "20m",
    alerts: [{ alertname: "KubeNodeNotReady", firing: [] }],
  },
  {
    name: "KubeNodePressure fires for MemoryPressure",
    input: [
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "MemoryPressure", status: "true" }), values: "1x30" },
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "DiskPressure", status: "true" }), values: "0x30" },
    ],
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeNodePressure",
        firing: [
          {
            labels: { ...WHERE, node: "ip-10-0-1-5", condition: "MemoryPressure", severity: "warning", ...TEAM },
            annotations: {
              summary: "Node ip-10-0-1-5 reports MemoryPressure",
              description: "Node ip-10-0-1-5 in cluster blue reports MemoryPressure; the kubelet is evicting pods or refusing new ones.",
              runbook_url: runbook("KubeNodePressure"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubeNodePressure stays quiet when only Ready is true",
    input: [
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "Ready", status: "true" }), values: "1x30" },
      { series: series("kube_node_status_condition", { ...KSM, node: "ip-10-0-1-5", condition: "MemoryPressure", status: "true" }), values: "0x30" },
    ],
    evalTime: "20m",
    alerts: [{ alertname: "KubeNodePressure", firing: [] }],
  },
  {
    name: "NodeCPUSaturated fires at 93.75% CPU for 30 minutes",
    input: nodeCpuSeries(3.75),
    evalTime: "40m",
    alerts: [
      {
        alertname: "NodeCPUSaturated",
        firing: [
          {
            labels: { ...WHERE, instance: "ip-10-0-1-5", severity: "warning", ...TEAM },
            annotations: {
              summary: "Node ip-10-0-1-5 CPU is saturated",
              description: "Node ip-10-0-1-5 in cluster blue has used 93.75% of its CPU over the last 5 minutes.",
              runbook_url: runbook("NodeCPUSaturated"),
            },
          },
        ],
      },
    ],
    records: [{ record: "instance:node_cpu_utilisation:rate5m", samples: [{ labels: { ...WHERE, instance: "ip-10-0-1-5" }, value: 0.9375 }] }],
  },
  {
    name: "NodeCPUSaturated stays quiet at 75% CPU",
    input: nodeCpuSeries(15),
    evalTime: "40m",
    alerts: [{ alertname: "NodeCPUSaturated", firing: [] }],
  },
  {
    name: "NodeMemorySaturated fires at 93.75% memory",
    input: nodeMemorySeries(64),
    evalTime: "20m",
    alerts: [
      {
        alertname: "NodeMemorySaturated",
        firing: [
          {
            labels: { ...WHERE, instance: "ip-10-0-1-5", severity: "warning", ...TEAM },
            annotations: {
              summary: "Node ip-10-0-1-5 memory is saturated",
              description: "Node ip-10-0-1-5 in cluster blue uses 93.75% of its memory; the kernel may start OOM killing.",
              runbook_url: runbook("NodeMemorySaturated"),
            },
          },
        ],
      },
    ],
    records: [{ record: "instance:node_memory_utilisation:ratio", samples: [{ labels: { ...WHERE, instance: "ip-10-0-1-5" }, value: 0.9375 }] }],
  },
  {
    name: "NodeMemorySaturated stays quiet at 87.5% memory",
    input: nodeMemorySeries(128),
    evalTime: "20m",
    alerts: [{ alertname: "NodeMemorySaturated", firing: [] }],
  },
  {
    name: "NodeFilesystemAlmostFull fires for a root filesystem with 5% left",
    input: filesystemSeries(ROOT_FS, 5),
    evalTime: "40m",
    alerts: [
      {
        alertname: "NodeFilesystemAlmostFull",
        firing: [
          {
            labels: { ...NODE_EXPORTER, ...ROOT_FS, severity: "warning", ...TEAM },
            annotations: {
              summary: "Filesystem / on node ip-10-0-1-5 is almost full",
              description: "Filesystem / (/dev/nvme0n1p1) on node ip-10-0-1-5 in cluster blue has only 5% space left.",
              runbook_url: runbook("NodeFilesystemAlmostFull"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "NodeFilesystemAlmostFull ignores a full tmpfs",
    input: filesystemSeries({ device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" }, 1),
    evalTime: "40m",
    alerts: [{ alertname: "NodeFilesystemAlmostFull", firing: [] }],
  },
  {
    name: "KubeCPURequestsCommitmentHigh fires when live pods request 93.75% of allocatable CPU",
    input: commitmentSeries("cpu", "Pending"),
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeCPURequestsCommitmentHigh",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Cluster blue has committed most of its CPU",
              description: "Pods in cluster blue (account acme-payments) request 93.75% of the nodes' allocatable CPU; new pods may stay Pending.",
              runbook_url: runbook("KubeCPURequestsCommitmentHigh"),
            },
          },
        ],
      },
    ],
    records: [{ record: "cluster:kube_pod_container_resource_requests_cpu:ratio_allocatable", samples: [{ labels: WHERE, value: 0.9375 }] }],
  },
  {
    name: "KubeCPURequestsCommitmentHigh does not count completed pods",
    input: commitmentSeries("cpu", "Succeeded"),
    evalTime: "20m",
    alerts: [{ alertname: "KubeCPURequestsCommitmentHigh", firing: [] }],
  },
  {
    name: "KubeMemoryRequestsCommitmentHigh fires when live pods request 93.75% of allocatable memory",
    input: commitmentSeries("memory", "Running"),
    evalTime: "20m",
    alerts: [
      {
        alertname: "KubeMemoryRequestsCommitmentHigh",
        firing: [
          {
            labels: { ...WHERE, severity: "warning", ...TEAM },
            annotations: {
              summary: "Cluster blue has committed most of its memory",
              description: "Pods in cluster blue (account acme-payments) request 93.75% of the nodes' allocatable memory; new pods may stay Pending.",
              runbook_url: runbook("KubeMemoryRequestsCommitmentHigh"),
            },
          },
        ],
      },
    ],
    records: [{ record: "cluster:kube_pod_container_resource_requests_memory:ratio_allocatable", samples: [{ labels: WHERE, value: 0.9375 }] }],
  },
  {
    name: "KubeMemoryRequestsCommitmentHigh does not count completed pods",
    input: commitmentSeries("memory", "Succeeded"),
    evalTime: "20m",
    alerts: [{ alertname: "KubeMemoryRequestsCommitmentHigh", firing: [] }],
  },
  {
    name: "KubePersistentVolumeFillingUp is critical below 3% free (the trend-based warning stays quiet on a flat volume)",
    input: volumeSeries("20x200"),
    evalTime: "10m",
    alerts: [
      {
        alertname: "KubePersistentVolumeFillingUp",
        firing: [
          {
            labels: { ...WHERE, ...PVC, severity: "critical", ...TEAM },
            annotations: {
              summary: "Volume shop/data-postgres-0 is almost full",
              description: "The volume claimed by shop/data-postgres-0 in cluster blue has only 2% free.",
              runbook_url: runbook("KubePersistentVolumeFillingUp"),
            },
          },
        ],
      },
    ],
    records: [{ record: "namespace_persistentvolumeclaim:kubelet_volume_stats_available:ratio", samples: [{ labels: { ...WHERE, ...PVC }, value: 0.02 }] }],
  },
  {
    name: "KubePersistentVolumeFillingUp warns when a volume under 15% free keeps filling",
    // 200 bytes free, losing 0.5 per minute: 10% free after 200 minutes, empty in 200 more.
    input: volumeSeries("200-0.5x200"),
    evalTime: "200m",
    alerts: [
      {
        alertname: "KubePersistentVolumeFillingUp",
        firing: [
          {
            labels: { ...WHERE, ...PVC, severity: "warning", ...TEAM },
            annotations: {
              summary: "Volume shop/data-postgres-0 is filling up",
              description: "The volume claimed by shop/data-postgres-0 in cluster blue has 10% free and, at the rate of the last 6 hours, fills up within 96 hours.",
              runbook_url: runbook("KubePersistentVolumeFillingUp"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubePersistentVolumeFillingUp stays quiet for a volume at 10% free that is not growing",
    input: volumeSeries("100x200"),
    evalTime: "200m",
    alerts: [{ alertname: "KubePersistentVolumeFillingUp", firing: [] }],
  },
  {
    name: "KubePersistentVolumeErrors fires for a Failed volume",
    input: pvPhaseSeries("Failed"),
    evalTime: "10m",
    alerts: [
      {
        alertname: "KubePersistentVolumeErrors",
        firing: [
          {
            labels: { ...WHERE, persistentvolume: "pvc-0a1b", phase: "Failed", severity: "critical", ...TEAM },
            annotations: {
              summary: "Persistent volume pvc-0a1b is Failed",
              description: "Persistent volume pvc-0a1b in cluster blue is in phase Failed; the workloads that claim it cannot start.",
              runbook_url: runbook("KubePersistentVolumeErrors"),
            },
          },
        ],
      },
    ],
  },
  {
    name: "KubePersistentVolumeErrors stays quiet for a Bound volume",
    input: pvPhaseSeries("Bound"),
    evalTime: "10m",
    alerts: [{ alertname: "KubePersistentVolumeErrors", firing: [] }],
  },
];
