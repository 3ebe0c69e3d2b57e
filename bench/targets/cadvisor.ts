/**
 * The kubelet's `/metrics/cadvisor` for a generated node.
 *
 * Metric names, types and per-metric labels follow cAdvisor's own exposition fixture and
 * collector (google/cadvisor, lib/metrics/testdata/prometheus_metrics and
 * lib/metrics/prometheus.go at 6a0c4f2539a8b1c11215804dee404c06fe3e0218), restricted to the
 * metric sets the kubelet enables (kubernetes/kubernetes pkg/kubelet/server/server.go,
 * `includedMetrics`: CPU usage, CPU load, memory, disk I/O, disk usage, network, process,
 * OOM, app metrics; no per-CPU, scheduler, hugetlb, NUMA, perf or TCP/UDP sets).
 *
 * Series per cgroup, as the kubelet reports them with containerd: the node's own cgroups
 * (`/`, kubepods, system.slice services; no pod or container label), each pod's cgroup
 * (`container=""`, `image=""`), each pod's sandbox, i.e. the pause container
 * (`container=""`, pause image; it carries the pod's network counters), and each container.
 * Every series also has `id` (the cgroup path) and `name` (the container id).
 */
import { Clock, Family, Labels, Sample, counter, gauge } from "./exposition";
import { NodeModel } from "./node-model";

interface Cgroup {
  labels: Labels;
  /** Real containers and pod cgroups use CPU; the pause container almost none. */
  cpuShare: number;
  memory: number;
  cpuQuota?: number;
  network: boolean;
  key: string;
}

const PAUSE_IMAGE = "602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/pause:3.5";
const DISK = { device: "/dev/nvme0n1", major: "259", minor: "0" };
const SYSTEM_CGROUPS = ["/", "/kubepods.slice", "/kubepods.slice/kubepods-burstable.slice", "/kubepods.slice/kubepods-besteffort.slice", "/system.slice", "/system.slice/containerd.service", "/system.slice/kubelet.service", "/system.slice/sshd.service", "/system.slice/systemd-journald.service", "/user.slice"];

function cgroups(model: NodeModel): Cgroup[] {
  const out: Cgroup[] = SYSTEM_CGROUPS.map((id) => ({ labels: { id }, cpuShare: id === "/" ? 2 : 0.1, memory: id === "/" ? 6e9 : 2e8, network: id === "/", key: id }));
  for (const pod of model.pods) {
    const podCgroup = `/kubepods.slice/kubepods-${pod.qosClass.toLowerCase()}.slice/kubepods-${pod.qosClass.toLowerCase()}-pod${pod.uid.replace(/-/g, "_")}.slice`;
    const base = { namespace: pod.namespace, pod: pod.name };
    const podMemory = pod.containers.reduce((sum, c) => sum + c.requests.memory * 0.7, 0);
    out.push({ labels: { ...base, id: podCgroup }, cpuShare: 0.2, memory: podMemory, network: false, key: podCgroup });
    out.push({ labels: { ...base, id: `${podCgroup}/cri-containerd-${pod.sandboxId}.scope`, image: PAUSE_IMAGE, name: pod.sandboxId }, cpuShare: 0.001, memory: 4e5, network: true, key: pod.sandboxId });
    for (const container of pod.containers) {
      out.push({
        labels: { ...base, container: container.name, id: `${podCgroup}/cri-containerd-${container.containerId}.scope`, image: container.image, name: container.containerId },
        cpuShare: container.requests.cpu * 0.8,
        memory: container.requests.memory * 0.7,
        cpuQuota: container.limits ? container.limits.cpu * 100000 : undefined,
        network: false,
        key: container.containerId,
      });
    }
  }
  return out;
}

type Emit = (cgroup: Cgroup, t: number) => Array<Omit<Sample, "labels"> & { labels?: Labels }>;

interface CadvisorMetric {
  name: string;
  type: "counter" | "gauge";
  help: string;
  emit: Emit;
}

const one = (value: number) => [{ value }];
const perDisk = (value: number) => [{ labels: { device: DISK.device }, value }];

/** What the kubelet's cAdvisor exports per cgroup (see the header for the sets). */
const METRICS: CadvisorMetric[] = [
  { name: "container_last_seen", type: "gauge", help: "Last time a container was seen by the exporter", emit: (_c, t) => one(1_700_000_000 + Math.floor(t)) },
  // CPU usage
  { name: "container_cpu_user_seconds_total", type: "counter", help: "Cumulative user cpu time consumed in seconds.", emit: (c, t) => one(counter(`${c.key}/user`, t, c.cpuShare * 0.7, 100)) },
  { name: "container_cpu_system_seconds_total", type: "counter", help: "Cumulative system cpu time consumed in seconds.", emit: (c, t) => one(counter(`${c.key}/system`, t, c.cpuShare * 0.3, 40)) },
  { name: "container_cpu_usage_seconds_total", type: "counter", help: "Cumulative cpu time consumed in seconds.", emit: (c, t) => [{ labels: { cpu: "total" }, value: counter(`${c.key}/usage`, t, c.cpuShare, 140) }] },
  { name: "container_cpu_cfs_periods_total", type: "counter", help: "Number of elapsed enforcement period intervals.", emit: (c, t) => (c.cpuQuota ? one(Math.floor(t * 10) + 5000) : []) },
  { name: "container_cpu_cfs_throttled_periods_total", type: "counter", help: "Number of throttled period intervals.", emit: (c, t) => (c.cpuQuota ? one(Math.floor(counter(`${c.key}/thr`, t, 0.4, 300))) : []) },
  { name: "container_cpu_cfs_throttled_seconds_total", type: "counter", help: "Total time duration the container has been throttled.", emit: (c, t) => (c.cpuQuota ? one(counter(`${c.key}/thrs`, t, 0.02, 20)) : []) },
  // CPU load
  { name: "container_cpu_load_average_10s", type: "gauge", help: "Value of container cpu load average over the last 10 seconds.", emit: () => one(0) },
  { name: "container_cpu_load_d_average_10s", type: "gauge", help: "Value of container cpu load.d average over the last 10 seconds.", emit: () => one(0) },
  {
    name: "container_tasks_state", type: "gauge", help: "Number of tasks in given state",
    emit: (c, t) => ["iowaiting", "running", "sleeping", "stopped", "uninterruptible"].map((state) => ({ labels: { state }, value: state === "sleeping" ? gauge(`${c.key}/tasks`, t, 12) : 0 })),
  },
  // Memory
  ...(["cache", "rss", "kernel_usage", "mapped_file", "swap"] as const).map((kind): CadvisorMetric => ({
    name: `container_memory_${kind}`, type: "gauge", help: `Memory ${kind} in bytes.`, emit: (c, t) => one(kind === "swap" ? 0 : gauge(`${c.key}/${kind}`, t, c.memory * 0.2)),
  })),
  { name: "container_memory_failcnt", type: "counter", help: "Number of memory usage hits limits", emit: () => one(0) },
  { name: "container_memory_usage_bytes", type: "gauge", help: "Current memory usage in bytes, including all memory regardless of when it was accessed", emit: (c, t) => one(gauge(`${c.key}/usage`, t, c.memory * 1.2)) },
  { name: "container_memory_max_usage_bytes", type: "gauge", help: "Maximum memory usage recorded in bytes", emit: (c) => one(Math.round(c.memory * 1.5)) },
  { name: "container_memory_working_set_bytes", type: "gauge", help: "Current working set in bytes.", emit: (c, t) => one(gauge(`${c.key}/ws`, t, c.memory)) },
  { name: "container_memory_total_active_file_bytes", type: "gauge", help: "Current total active file in bytes.", emit: (c, t) => one(gauge(`${c.key}/af`, t, c.memory * 0.1)) },
  { name: "container_memory_total_inactive_file_bytes", type: "gauge", help: "Current total inactive file in bytes.", emit: (c, t) => one(gauge(`${c.key}/if`, t, c.memory * 0.1)) },
  {
    name: "container_memory_failures_total", type: "counter", help: "Cumulative count of memory allocation failures.",
    emit: (c, t) => ["pgfault", "pgmajfault"].flatMap((failure_type) => ["container", "hierarchy"].map((scope) => ({ labels: { failure_type, scope }, value: Math.floor(counter(`${c.key}/${failure_type}/${scope}`, t, failure_type === "pgfault" ? 50 : 0.01, 1e5)) }))),
  },
  ...(["events_high_total", "events_max_total", "pgscan_total", "pgsteal_total", "workingset_refault_file_total", "workingset_refault_anon_total"] as const).map((kind): CadvisorMetric => ({
    name: `container_memory_${kind}`, type: "counter", help: `Memory ${kind.replace(/_/g, " ")}.`, emit: (c, t) => one(Math.floor(counter(`${c.key}/${kind}`, t, 0.5))),
  })),
  ...(["file_dirty_bytes", "file_writeback_bytes"] as const).map((kind): CadvisorMetric => ({
    name: `container_memory_${kind}`, type: "gauge", help: `Memory ${kind.replace(/_/g, " ")}.`, emit: (c, t) => one(gauge(`${c.key}/${kind}`, t, 4096)),
  })),
  { name: "container_oom_events_total", type: "counter", help: "Count of out of memory events observed for the container", emit: () => one(0) },
  // Disk usage and disk I/O (one disk)
  { name: "container_fs_inodes_free", type: "gauge", help: "Number of available Inodes", emit: (c, t) => perDisk(gauge(`${c.key}/if`, t, 5e6, 0.01)) },
  { name: "container_fs_inodes_total", type: "gauge", help: "Number of Inodes", emit: () => perDisk(5_242_880) },
  { name: "container_fs_limit_bytes", type: "gauge", help: "Number of bytes that can be consumed by the container on this filesystem.", emit: () => perDisk(85_886_742_528) },
  { name: "container_fs_usage_bytes", type: "gauge", help: "Number of bytes that are consumed by the container on this filesystem.", emit: (c, t) => perDisk(gauge(`${c.key}/fsu`, t, 5e7, 0.05)) },
  ...(["reads_bytes_total", "reads_total", "sector_reads_total", "reads_merged_total", "read_seconds_total", "writes_bytes_total", "writes_total", "sector_writes_total", "writes_merged_total", "write_seconds_total", "io_time_seconds_total", "io_time_weighted_seconds_total"] as const).map((kind): CadvisorMetric => ({
    name: `container_fs_${kind}`, type: "counter", help: `Cumulative count of ${kind.replace(/_/g, " ")}.`, emit: (c, t) => perDisk(counter(`${c.key}/${kind}`, t, kind.includes("bytes") ? 4096 : 1)),
  })),
  { name: "container_fs_io_current", type: "gauge", help: "Number of I/Os currently in progress", emit: () => perDisk(0) },
  {
    name: "container_blkio_device_usage_total", type: "counter", help: "Blkio Device bytes usage",
    emit: (c, t) => ["Async", "Discard", "Read", "Sync", "Write"].map((operation) => ({ labels: { ...DISK, operation }, value: Math.floor(counter(`${c.key}/blkio/${operation}`, t, operation === "Discard" ? 0 : 2048)) })),
  },
  // Network: only the cgroups that own a network namespace (the root and each pod's sandbox).
  ...(["receive_bytes_total", "receive_packets_total", "receive_packets_dropped_total", "receive_errors_total", "transmit_bytes_total", "transmit_packets_total", "transmit_packets_dropped_total", "transmit_errors_total"] as const).map((kind): CadvisorMetric => ({
    name: `container_network_${kind}`, type: "counter", help: `Cumulative count of ${kind.replace(/_/g, " ")}.`,
    emit: (c, t) => (c.network ? [{ labels: { interface: "eth0" }, value: Math.floor(counter(`${c.key}/${kind}`, t, kind.includes("bytes") ? 20000 : kind.includes("errors") || kind.includes("dropped") ? 0 : 30)) }] : []),
  })),
  // Process
  { name: "container_processes", type: "gauge", help: "Number of processes running inside the container.", emit: () => one(1) },
  { name: "container_threads", type: "gauge", help: "Number of threads running inside the container", emit: (c, t) => one(gauge(`${c.key}/thr`, t, 12)) },
  { name: "container_threads_max", type: "gauge", help: "Maximum number of threads allowed inside the container, infinity if value is zero", emit: () => one(0) },
  { name: "container_sockets", type: "gauge", help: "Number of open sockets for the container.", emit: (c, t) => one(gauge(`${c.key}/so`, t, 8)) },
  { name: "container_file_descriptors", type: "gauge", help: "Number of open file descriptors for the container.", emit: (c, t) => one(gauge(`${c.key}/fd`, t, 20)) },
  { name: "container_ulimits_soft", type: "gauge", help: "Soft ulimit values for the container root process. Unlimited if -1, except priority and nice", emit: () => [{ labels: { ulimit: "max_open_files" }, value: 1048576 }] },
  // Spec
  { name: "container_spec_cpu_period", type: "gauge", help: "CPU period of the container.", emit: () => one(100000) },
  { name: "container_spec_cpu_quota", type: "gauge", help: "CPU quota of the container.", emit: (c) => (c.cpuQuota ? one(c.cpuQuota) : []) },
  { name: "container_spec_cpu_shares", type: "gauge", help: "CPU share of the container.", emit: (c) => one(Math.max(2, Math.round(c.cpuShare * 1024))) },
  { name: "container_spec_memory_limit_bytes", type: "gauge", help: "Memory limit for the container.", emit: () => one(0) },
  { name: "container_spec_memory_reservation_limit_bytes", type: "gauge", help: "Memory reservation limit for the container.", emit: () => one(0) },
  { name: "container_spec_memory_swap_limit_bytes", type: "gauge", help: "Memory swap limit for the container.", emit: () => one(0) },
  { name: "container_start_time_seconds", type: "gauge", help: "Start time of the container since unix epoch in seconds.", emit: () => one(1_700_000_000) },
];

export function cadvisorFamilies(model: NodeModel, clock: Clock): Family[] {
  const t = clock();
  const all = cgroups(model);
  const families: Family[] = [
    { name: "machine_cpu_cores", type: "gauge", help: "Number of logical CPU cores.", samples: [{ labels: { boot_id: "b2c1", machine_id: "ec2a", system_uuid: "ec2a" }, value: 4 }] },
    { name: "machine_memory_bytes", type: "gauge", help: "Amount of memory installed on the machine.", samples: [{ labels: { boot_id: "b2c1", machine_id: "ec2a", system_uuid: "ec2a" }, value: 16_481_239_040 }] },
  ];
  for (const metric of METRICS) {
    const samples: Sample[] = [];
    for (const cgroup of all) for (const s of metric.emit(cgroup, t)) samples.push({ labels: { container: "", image: "", name: "", namespace: "", pod: "", ...cgroup.labels, ...s.labels }, value: s.value });
    families.push({ name: metric.name, type: metric.type, help: metric.help, samples });
  }
  return families;
}
