/**
 * kube-state-metrics' `/metrics` for the objects of a generated node: the node itself, its
 * pods and containers, the Deployments, ReplicaSets, DaemonSets, Services, namespaces and
 * PersistentVolume(Claim)s behind them, and one Job per application namespace.
 *
 * Metric names, types and labels follow kube-state-metrics' documented metric list
 * (kubernetes/kube-state-metrics, docs/metrics/workload/{pod,deployment,replicaset,
 * daemonset,job}-metrics.md, docs/metrics/cluster/{node,namespace}-metrics.md,
 * docs/metrics/service/service-metrics.md, docs/metrics/storage/persistentvolume(claim)-metrics.md
 * at c92fe0c5ce02d3b52abf54490e00db6c706f2ba5): STABLE metrics, plus the experimental ones
 * enabled by default; opt-in families and label/annotation allow-lists stay off, as in the
 * default chart.
 */
import { Clock, Family, Labels, Sample } from "./exposition";
import { NodeModel, PodModel } from "./node-model";

type Rows = Array<[Labels, number]>;

function family(name: string, type: Family["type"], help: string, rows: Rows): Family {
  return { name, type, help, samples: rows.map(([labels, value]): Sample => ({ labels, value })) };
}

/** One series per possible value, 1 on the current one (how kube-state-metrics encodes enums). */
function oneOf(base: Labels, label: string, values: readonly string[], current: string): Rows {
  return values.map((value) => [{ ...base, [label]: value }, value === current ? 1 : 0]);
}

const CREATED = 1_700_000_000;

function podFamilies(model: NodeModel, t: number): Family[] {
  const node = model.shape.nodeName;
  const pods = model.pods;
  const id = (p: PodModel): Labels => ({ namespace: p.namespace, pod: p.name, uid: p.uid });
  const containers = pods.flatMap((p) => p.containers.map((c) => ({ pod: p, c, labels: { namespace: p.namespace, pod: p.name, uid: p.uid, container: c.name } })));
  const restarts = (crashing: boolean) => (crashing ? 3 + Math.floor(t / 60) : 0);
  return [
    family("kube_pod_info", "gauge", "Information about pod.", pods.map((p) => [{ ...id(p), host_ip: model.nodeIp, pod_ip: p.ip, node, created_by_kind: p.ownerKind, created_by_name: p.ownerName, priority_class: p.ownerKind === "DaemonSet" ? "system-node-critical" : "", host_network: p.name.startsWith("aws-node") || p.name.startsWith("kube-proxy") ? "true" : "false" }, 1])),
    family("kube_pod_ips", "gauge", "Pod IP addresses.", pods.map((p) => [{ ...id(p), ip: p.ip, ip_family: "4" }, 1])),
    family("kube_pod_start_time", "gauge", "Start time in unix timestamp for a pod.", pods.map((p) => [id(p), CREATED + 60])),
    family("kube_pod_owner", "gauge", "Information about the Pod's owner.", pods.map((p) => [{ ...id(p), owner_kind: p.ownerKind, owner_name: p.ownerName, owner_is_controller: "true" }, 1])),
    family("kube_pod_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", pods.map((p) => [id(p), 1])),
    family("kube_pod_created", "gauge", "Unix creation timestamp.", pods.map((p) => [id(p), CREATED])),
    family("kube_pod_restart_policy", "gauge", "Describes the restart policy in use by this pod.", pods.map((p) => [{ ...id(p), type: "Always" }, 1])),
    family("kube_pod_status_phase", "gauge", "The pods current phase.", pods.flatMap((p) => oneOf(id(p), "phase", ["Pending", "Succeeded", "Failed", "Running", "Unknown"], "Running"))),
    family("kube_pod_status_qos_class", "gauge", "The pods current qosClass.", pods.flatMap((p) => oneOf(id(p), "qos_class", ["BestEffort", "Burstable", "Guaranteed"], p.qosClass))),
    family("kube_pod_status_ready", "gauge", "Describes whether the pod is ready to serve requests.", pods.flatMap((p) => oneOf(id(p), "condition", ["true", "false", "unknown"], p.containers.some((c) => c.waitingReason) ? "false" : "true"))),
    family("kube_pod_status_scheduled", "gauge", "Describes the status of the scheduling process for the pod.", pods.flatMap((p) => oneOf(id(p), "condition", ["true", "false", "unknown"], "true"))),
    family("kube_pod_status_scheduled_time", "gauge", "Unix timestamp when pod moved into scheduled status.", pods.map((p) => [id(p), CREATED + 1])),
    family("kube_pod_status_initialized_time", "gauge", "Initialized time in unix timestamp for a pod.", pods.map((p) => [id(p), CREATED + 5])),
    family("kube_pod_status_ready_time", "gauge", "Readiness achieved time in unix timestamp for a pod.", pods.map((p) => [id(p), CREATED + 30])),
    family("kube_pod_status_container_ready_time", "gauge", "Readiness achieved time in unix timestamp for a pod containers.", pods.map((p) => [id(p), CREATED + 30])),
    family("kube_pod_tolerations", "gauge", "Information about the pod tolerations.", pods.flatMap((p) => ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].map((key): [Labels, number] => [{ ...id(p), key, operator: "Exists", effect: "NoExecute", toleration_seconds: "300" }, 1]))),
    family("kube_pod_service_account", "gauge", "The service account for a pod.", pods.map((p) => [{ ...id(p), service_account: p.ownerKind === "DaemonSet" ? p.ownerName : "default" }, 1])),
    family("kube_pod_scheduler", "gauge", "The scheduler for a pod.", pods.map((p) => [{ ...id(p), name: "default-scheduler" }, 1])),
    family("kube_pod_spec_volumes_persistentvolumeclaims_info", "gauge", "Information about persistentvolumeclaim volumes in a pod.", pods.filter((p) => p.persistentVolumeClaim).map((p) => [{ ...id(p), volume: "data", persistentvolumeclaim: p.persistentVolumeClaim!, ephemeral: "false" }, 1])),
    family("kube_pod_spec_volumes_persistentvolumeclaims_readonly", "gauge", "Describes whether a persistentvolumeclaim is mounted read only.", pods.filter((p) => p.persistentVolumeClaim).map((p) => [{ ...id(p), volume: "data", persistentvolumeclaim: p.persistentVolumeClaim!, ephemeral: "false" }, 0])),
    family("kube_pod_container_info", "gauge", "Information about a container in a pod.", containers.map(({ labels, c }) => [{ ...labels, image: c.image, image_spec: c.image, image_id: `${c.image.split(":")[0]}@sha256:${c.containerId}`, container_id: `containerd://${c.containerId}` }, 1])),
    family("kube_pod_container_status_waiting", "gauge", "Describes whether the container is currently in waiting state.", containers.map(({ labels, c }) => [labels, c.waitingReason ? 1 : 0])),
    family("kube_pod_container_status_waiting_reason", "gauge", "Describes the reason the container is currently in waiting state.", containers.filter(({ c }) => c.waitingReason).map(({ labels, c }) => [{ ...labels, reason: c.waitingReason! }, 1])),
    family("kube_pod_container_status_running", "gauge", "Describes whether the container is currently in running state.", containers.map(({ labels, c }) => [labels, c.waitingReason ? 0 : 1])),
    family("kube_pod_container_state_started", "gauge", "Start time in unix timestamp for a pod container.", containers.map(({ labels }) => [labels, CREATED + 20])),
    family("kube_pod_container_status_terminated", "gauge", "Describes whether the container is currently in terminated state.", containers.map(({ labels }) => [labels, 0])),
    family("kube_pod_container_status_last_terminated_reason", "gauge", "Describes the last reason the container was in terminated state.", containers.filter(({ c }) => c.lastTerminatedReason).map(({ labels, c }) => [{ ...labels, reason: c.lastTerminatedReason! }, 1])),
    family("kube_pod_container_status_last_terminated_exitcode", "gauge", "Describes the exit code for the last container in terminated state.", containers.filter(({ c }) => c.lastTerminatedReason).map(({ labels }) => [labels, 137])),
    family("kube_pod_container_status_last_terminated_timestamp", "gauge", "Last terminated time for a pod container in unix timestamp.", containers.filter(({ c }) => c.lastTerminatedReason).map(({ labels }) => [labels, CREATED + 600])),
    family("kube_pod_container_status_ready", "gauge", "Describes whether the containers readiness check succeeded.", containers.map(({ labels, c }) => [labels, c.waitingReason ? 0 : 1])),
    family("kube_pod_container_status_restarts_total", "counter", "The number of container restarts per container.", containers.map(({ labels, c }) => [labels, restarts(c.waitingReason !== undefined)])),
    family("kube_pod_container_resource_requests", "gauge", "The number of requested request resource by a container.", containers.flatMap(({ labels, c }): Rows => [[{ ...labels, node, resource: "cpu", unit: "core" }, c.requests.cpu], [{ ...labels, node, resource: "memory", unit: "byte" }, c.requests.memory]])),
    family("kube_pod_container_resource_limits", "gauge", "The number of requested limit resource by a container.", containers.filter(({ c }) => c.limits).flatMap(({ labels, c }): Rows => [[{ ...labels, node, resource: "cpu", unit: "core" }, c.limits!.cpu], [{ ...labels, node, resource: "memory", unit: "byte" }, c.limits!.memory]])),
  ];
}

function nodeFamilies(model: NodeModel): Family[] {
  const node = model.shape.nodeName;
  const resources: Array<[string, string, number]> = [["cpu", "core", 3.92], ["memory", "byte", 15_136_047_104], ["pods", "integer", 58], ["ephemeral_storage", "byte", 76_224_326_324], ["attachable_volumes_aws_ebs", "integer", 25]];
  const conditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
  return [
    family("kube_node_info", "gauge", "Information about a cluster node.", [[{ node, kernel_version: "5.10.219-208.866.amzn2.x86_64", os_image: "Amazon Linux 2", container_runtime_version: "containerd://1.7.11", kubelet_version: "v1.30.0-eks-036c24b", kubeproxy_version: "v1.30.0-eks-036c24b", provider_id: "aws:///us-east-1a/i-0123456789abcdef0", pod_cidr: "", system_uuid: "ec2a", internal_ip: model.nodeIp }, 1]]),
    family("kube_node_created", "gauge", "Unix creation timestamp.", [[{ node }, CREATED]]),
    family("kube_node_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", [[{ node }, 1]]),
    family("kube_node_spec_unschedulable", "gauge", "Whether a node can schedule new pods.", [[{ node }, 0]]),
    family("kube_node_status_allocatable", "gauge", "The allocatable for different resources of a node that are available for scheduling.", resources.map(([resource, unit, value]) => [{ node, resource, unit }, value])),
    family("kube_node_status_capacity", "gauge", "The capacity for different resources of a node.", resources.map(([resource, unit, value]) => [{ node, resource, unit }, Math.ceil(value * 1.05)])),
    family("kube_node_status_condition", "gauge", "The condition of a cluster node.", conditions.flatMap((condition) => oneOf({ node, condition }, "status", ["true", "false", "unknown"], condition === "Ready" ? "true" : "false"))),
    family("kube_node_status_addresses", "gauge", "Node address information.", [["InternalIP", model.nodeIp], ["Hostname", node], ["InternalDNS", node]].map(([type, address]) => [{ node, type, address }, 1])),
  ];
}

function workloadFamilies(model: NodeModel, t: number): Family[] {
  const deps = model.deployments;
  const daemonSets = model.pods.filter((p) => p.ownerKind === "DaemonSet");
  const pvcs = model.pods.filter((p) => p.persistentVolumeClaim).map((p) => ({ namespace: p.namespace, name: p.persistentVolumeClaim!, volume: `pvc-${p.uid}` }));
  const d = (x: (typeof deps)[number]): Labels => ({ namespace: x.namespace, deployment: x.name });
  const rs = (x: (typeof deps)[number]): Labels => ({ namespace: x.namespace, replicaset: x.replicaSet });
  const ds = (p: PodModel): Labels => ({ namespace: p.namespace, daemonset: p.ownerName });
  const unavailable = (x: (typeof deps)[number]) => (model.pods.some((p) => p.deployment === x.name && p.namespace === x.namespace && p.containers.some((c) => c.waitingReason)) ? 1 : 0);
  const jobs = model.appNamespaces.map((namespace) => ({ namespace, job_name: `nightly-report-${namespace}` }));
  return [
    family("kube_deployment_created", "gauge", "Unix creation timestamp.", deps.map((x) => [d(x), CREATED])),
    family("kube_deployment_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", deps.map((x) => [d(x), 1])),
    family("kube_deployment_metadata_generation", "gauge", "Sequence number representing a specific generation of the desired state.", deps.map((x) => [d(x), 3])),
    family("kube_deployment_spec_paused", "gauge", "Whether the deployment is paused.", deps.map((x) => [d(x), 0])),
    family("kube_deployment_spec_replicas", "gauge", "Number of desired pods for a deployment.", deps.map((x) => [d(x), x.replicas])),
    family("kube_deployment_spec_strategy_rollingupdate_max_surge", "gauge", "Maximum number of replicas that can be scheduled above the desired number.", deps.map((x) => [d(x), 1])),
    family("kube_deployment_spec_strategy_rollingupdate_max_unavailable", "gauge", "Maximum number of unavailable replicas during a rolling update.", deps.map((x) => [d(x), 0])),
    family("kube_deployment_status_observed_generation", "gauge", "The generation observed by the deployment controller.", deps.map((x) => [d(x), 3])),
    family("kube_deployment_status_replicas", "gauge", "The number of replicas per deployment.", deps.map((x) => [d(x), x.replicas])),
    family("kube_deployment_status_replicas_available", "gauge", "The number of available replicas per deployment.", deps.map((x) => [d(x), x.replicas - unavailable(x)])),
    family("kube_deployment_status_replicas_ready", "gauge", "The number of ready replicas per deployment.", deps.map((x) => [d(x), x.replicas - unavailable(x)])),
    family("kube_deployment_status_replicas_unavailable", "gauge", "The number of unavailable replicas per deployment.", deps.map((x) => [d(x), unavailable(x)])),
    family("kube_deployment_status_replicas_updated", "gauge", "The number of updated replicas per deployment.", deps.map((x) => [d(x), x.replicas])),
    family("kube_deployment_status_condition", "gauge", "The current status conditions of a deployment.", deps.flatMap((x) => ["Available", "Progressing"].flatMap((condition) => oneOf({ ...d(x), condition }, "status", ["true", "false", "unknown"], condition === "Available" && unavailable(x) ? "false" : "true")))),
    family("kube_replicaset_created", "gauge", "Unix creation timestamp.", deps.map((x) => [rs(x), CREATED])),
    family("kube_replicaset_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", deps.map((x) => [rs(x), 1])),
    family("kube_replicaset_metadata_generation", "gauge", "Sequence number representing a specific generation of the desired state.", deps.map((x) => [rs(x), 1])),
    family("kube_replicaset_owner", "gauge", "Information about the ReplicaSet's owner.", deps.map((x) => [{ ...rs(x), owner_kind: "Deployment", owner_name: x.name, owner_is_controller: "true" }, 1])),
    family("kube_replicaset_spec_replicas", "gauge", "Number of desired pods for a ReplicaSet.", deps.map((x) => [rs(x), x.replicas])),
    family("kube_replicaset_status_replicas", "gauge", "The number of replicas per ReplicaSet.", deps.map((x) => [rs(x), x.replicas])),
    family("kube_replicaset_status_ready_replicas", "gauge", "The number of ready replicas per ReplicaSet.", deps.map((x) => [rs(x), x.replicas - unavailable(x)])),
    family("kube_replicaset_status_fully_labeled_replicas", "gauge", "The number of fully labeled replicas per ReplicaSet.", deps.map((x) => [rs(x), x.replicas])),
    family("kube_replicaset_status_observed_generation", "gauge", "The generation observed by the ReplicaSet controller.", deps.map((x) => [rs(x), 1])),
    ...["created", "status_current_number_scheduled", "status_desired_number_scheduled", "status_number_available", "status_number_misscheduled", "status_number_ready", "status_number_unavailable", "status_observed_generation", "status_updated_number_scheduled", "metadata_generation", "labels"].map((metric) =>
      family(`kube_daemonset_${metric}`, "gauge", `DaemonSet ${metric.replace(/_/g, " ")}.`, daemonSets.map((p) => [ds(p), metric === "created" ? CREATED : metric.includes("unavailable") || metric.includes("misscheduled") ? 0 : 1])),
    ),
    family("kube_namespace_created", "gauge", "Unix creation timestamp.", model.namespaces.map((namespace) => [{ namespace }, CREATED])),
    family("kube_namespace_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", model.namespaces.map((namespace) => [{ namespace }, 1])),
    family("kube_namespace_status_phase", "gauge", "kubernetes namespace status phase.", model.namespaces.flatMap((namespace) => oneOf({ namespace }, "phase", ["Active", "Terminating"], "Active"))),
    family("kube_service_info", "gauge", "Information about service.", deps.map((x) => [{ namespace: x.namespace, service: x.name, uid: x.replicaSet, cluster_ip: "172.20.0.10", external_name: "", load_balancer_ip: "" }, 1])),
    family("kube_service_created", "gauge", "Unix creation timestamp.", deps.map((x) => [{ namespace: x.namespace, service: x.name, uid: x.replicaSet }, CREATED])),
    family("kube_service_spec_type", "gauge", "Type about service.", deps.map((x) => [{ namespace: x.namespace, service: x.name, uid: x.replicaSet, type: "ClusterIP" }, 1])),
    family("kube_service_labels", "gauge", "Kubernetes labels converted to Prometheus labels.", deps.map((x) => [{ namespace: x.namespace, service: x.name, uid: x.replicaSet }, 1])),
    family("kube_persistentvolumeclaim_info", "gauge", "Information about persistent volume claim.", pvcs.map((c) => [{ namespace: c.namespace, persistentvolumeclaim: c.name, storageclass: "gp3", volumename: c.volume }, 1])),
    family("kube_persistentvolumeclaim_status_phase", "gauge", "The phase the persistent volume claim is currently in.", pvcs.flatMap((c) => oneOf({ namespace: c.namespace, persistentvolumeclaim: c.name }, "phase", ["Lost", "Bound", "Pending"], "Bound"))),
    family("kube_persistentvolumeclaim_resource_requests_storage_bytes", "gauge", "The capacity of storage requested by the persistent volume claim.", pvcs.map((c) => [{ namespace: c.namespace, persistentvolumeclaim: c.name }, 20 * 2 ** 30])),
    family("kube_persistentvolumeclaim_access_mode", "gauge", "The access mode(s) specified by the persistent volume claim.", pvcs.map((c) => [{ namespace: c.namespace, persistentvolumeclaim: c.name, access_mode: "ReadWriteOnce" }, 1])),
    family("kube_persistentvolume_info", "gauge", "Information about persistentvolume.", pvcs.map((c) => [{ persistentvolume: c.volume, storageclass: "gp3", ebs_volume_id: `vol-${c.volume.slice(4, 21)}` }, 1])),
    family("kube_persistentvolume_status_phase", "gauge", "The phase indicates if a volume is available, bound to a claim, or released by a claim.", pvcs.flatMap((c) => oneOf({ persistentvolume: c.volume }, "phase", ["Pending", "Available", "Bound", "Released", "Failed"], "Bound"))),
    family("kube_persistentvolume_capacity_bytes", "gauge", "Persistentvolume capacity in bytes.", pvcs.map((c) => [{ persistentvolume: c.volume }, 20 * 2 ** 30])),
    family("kube_persistentvolume_claim_ref", "gauge", "Information about the Persistent Volume Claim Reference.", pvcs.map((c) => [{ persistentvolume: c.volume, claim_namespace: c.namespace, name: c.name }, 1])),
    family("kube_job_info", "gauge", "Information about job.", jobs.map((j) => [j, 1])),
    family("kube_job_created", "gauge", "Unix creation timestamp.", jobs.map((j) => [j, CREATED])),
    family("kube_job_owner", "gauge", "Information about the Job's owner.", jobs.map((j) => [{ ...j, owner_kind: "CronJob", owner_name: "nightly-report", owner_is_controller: "true" }, 1])),
    family("kube_job_spec_completions", "gauge", "The desired number of successfully finished pods the job should be run with.", jobs.map((j) => [j, 1])),
    family("kube_job_spec_parallelism", "gauge", "The maximum desired number of pods the job should run at any given time.", jobs.map((j) => [j, 1])),
    family("kube_job_status_active", "gauge", "The number of actively running pods.", jobs.map((j) => [j, 0])),
    family("kube_job_status_succeeded", "gauge", "The number of pods which reached Phase Succeeded.", jobs.map((j) => [j, 1])),
    family("kube_job_status_failed", "gauge", "The number of pods which reached Phase Failed and the reason for failure.", jobs.map((j) => [j, 0])),
    family("kube_job_status_start_time", "gauge", "StartTime represents time when the job was acknowledged by the Job Manager.", jobs.map((j) => [j, CREATED + 3600])),
    family("kube_job_status_completion_time", "gauge", "CompletionTime represents time when the job was completed.", jobs.map((j) => [j, CREATED + 3700])),
    family("kube_job_complete", "gauge", "The job has completed its execution.", jobs.flatMap((j) => oneOf({ ...j }, "condition", ["true", "false", "unknown"], "true"))),
    family("kube_job_failed", "gauge", "The job has failed its execution.", jobs.flatMap((j) => oneOf({ ...j }, "condition", ["true", "false", "unknown"], "false"))),
  ];
}

export function kubeStateMetricsFamilies(model: NodeModel, clock: Clock): Family[] {
  const t = clock();
  return [...nodeFamilies(model), ...podFamilies(model, t), ...workloadFamilies(model, t)];
}
