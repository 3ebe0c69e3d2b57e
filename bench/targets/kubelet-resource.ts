/**
 * The kubelet's `/metrics/resource` (the Resource Metrics endpoint metrics-server reads):
 * node, pod and container CPU and working set, after kubernetes/kubernetes
 * pkg/kubelet/metrics/collectors/resource_metrics.go.
 *
 * The collector does not scrape it: its container_cpu_usage_seconds_total and
 * container_memory_working_set_bytes have the same names as cAdvisor's, and the dashboards'
 * sums do not select a job, so scraping both would count every container twice. The bench
 * reads it once to report its size.
 */
import { Clock, Family, counter, gauge } from "./exposition";
import { NodeModel } from "./node-model";

export function kubeletResourceFamilies(model: NodeModel, clock: Clock): Family[] {
  const t = clock();
  const containers = model.pods.flatMap((p) => p.containers.map((c) => ({ labels: { container: c.name, namespace: p.namespace, pod: p.name }, c })));
  const pods = model.pods.map((p) => ({ labels: { namespace: p.namespace, pod: p.name }, p }));
  return [
    { name: "node_cpu_usage_seconds_total", type: "counter", help: "Cumulative cpu time consumed by the node in core-seconds", samples: [{ labels: {}, value: counter("res/node/cpu", t, 1.2, 1e5) }] },
    { name: "node_memory_working_set_bytes", type: "gauge", help: "Current working set of the node in bytes", samples: [{ labels: {}, value: gauge("res/node/mem", t, 6e9) }] },
    { name: "node_swap_usage_bytes", type: "gauge", help: "Current swap usage of the node in bytes.", samples: [{ labels: {}, value: 0 }] },
    { name: "pod_cpu_usage_seconds_total", type: "counter", help: "Cumulative cpu time consumed by the pod in core-seconds", samples: pods.map(({ labels }) => ({ labels, value: counter(`res/pod/${labels.pod}`, t, 0.2, 100) })) },
    { name: "pod_memory_working_set_bytes", type: "gauge", help: "Current working set of the pod in bytes", samples: pods.map(({ labels }) => ({ labels, value: gauge(`res/pod/${labels.pod}/mem`, t, 2e8) })) },
    { name: "pod_swap_usage_bytes", type: "gauge", help: "Current amount of the pod swap usage in bytes.", samples: pods.map(({ labels }) => ({ labels, value: 0 })) },
    { name: "container_cpu_usage_seconds_total", type: "counter", help: "Cumulative cpu time consumed by the container in core-seconds", samples: containers.map(({ labels, c }) => ({ labels, value: counter(`res/${c.containerId}`, t, c.requests.cpu, 100) })) },
    { name: "container_memory_working_set_bytes", type: "gauge", help: "Current working set of the container in bytes", samples: containers.map(({ labels, c }) => ({ labels, value: gauge(`res/${c.containerId}/mem`, t, c.requests.memory * 0.7) })) },
    { name: "container_swap_usage_bytes", type: "gauge", help: "Current amount of the container swap usage in bytes.", samples: containers.map(({ labels }) => ({ labels, value: 0 })) },
    { name: "container_start_time_seconds", type: "gauge", help: "Start time of the container since unix epoch in seconds", samples: containers.map(({ labels }) => ({ labels, value: 1_700_000_000 })) },
    { name: "scrape_error", type: "gauge", help: "1 if there was an error while getting container metrics, 0 otherwise", samples: [{ labels: {}, value: 0 }] },
    { name: "resource_scrape_error", type: "gauge", help: "1 if there was an error while getting container metrics, 0 otherwise", samples: [{ labels: {}, value: 0 }] },
  ];
}
