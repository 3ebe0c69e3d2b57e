/**
 * The collector's rendered scrape jobs with Kubernetes discovery replaced by static targets
 * that carry the same `__meta_kubernetes_*` labels discovery would attach, so the rendered
 * relabel rules (keep by service label and port name, node-label labelmap, annotation-driven
 * address and path, namespace/service/pod labels) run unchanged and give the series the
 * labels they would have in a cluster.
 *
 * Two departures, both because nothing on loopback can stand in for them: the kubelet jobs
 * scrape plain HTTP without the service-account token (the generated kubelet has no TLS),
 * and each instrumented pod's `prometheus.io/port` annotation is its own port (pods share
 * 127.0.0.1 here instead of having an address each).
 */
import { NodeModel } from "./node-model";
import { ServedNode } from "./serve";

type Job = Record<string, unknown> & { job_name: string };

/** Node labels as EKS sets them; the kubelet jobs' labelmap copies them onto every series. */
function nodeDiscoveryLabels(model: NodeModel): Record<string, string> {
  const node = model.shape.nodeName;
  return {
    __meta_kubernetes_node_name: node,
    __meta_kubernetes_node_label_kubernetes_io_hostname: node,
    __meta_kubernetes_node_label_kubernetes_io_arch: "amd64",
    __meta_kubernetes_node_label_kubernetes_io_os: "linux",
    __meta_kubernetes_node_label_node_kubernetes_io_instance_type: "m5.xlarge",
    __meta_kubernetes_node_label_topology_kubernetes_io_zone: "us-east-1a",
    __meta_kubernetes_node_label_eks_amazonaws_com_nodegroup: "general",
  };
}

function staticJob(job: Job, staticConfigs: object[], overrides: Record<string, unknown> = {}): Job {
  const { kubernetes_sd_configs: _discovery, ...rest } = job;
  return { ...rest, ...overrides, static_configs: staticConfigs };
}

export interface LoopbackTargets {
  collectorPort: number;
  nodeExporterPort: number;
  node: ServedNode;
  model: NodeModel;
}

export function loopbackScrapeJobs(rendered: Job[], targets: LoopbackTargets): Job[] {
  const { model, node } = targets;
  const known = new Set(["prometheus", "kubelet", "cadvisor", "node-exporter", "kube-state-metrics", "annotated-services"]);
  const unknown = rendered.map((job) => job.job_name).filter((name) => !known.has(name));
  if (unknown.length) throw new Error(`the bench does not know how to stand in for scrape job(s) ${unknown.join(", ")}: add them to bench/targets/static-discovery.ts`);
  return rendered.map((job): Job => {
    switch (job.job_name) {
      case "prometheus":
        return { ...job, static_configs: [{ targets: [`127.0.0.1:${targets.collectorPort}`] }] };
      case "kubelet":
      case "cadvisor": {
        const { authorization: _token, tls_config: _tls, ...plain } = job;
        return staticJob(plain as Job, [{ targets: [`127.0.0.1:${node.kubeletPort}`], labels: nodeDiscoveryLabels(model) }], { scheme: "http" });
      }
      case "node-exporter":
        return staticJob(job, [{
          targets: [`127.0.0.1:${targets.nodeExporterPort}`],
          labels: { __meta_kubernetes_service_label_app_kubernetes_io_name: "prometheus-node-exporter", __meta_kubernetes_pod_node_name: model.shape.nodeName, __meta_kubernetes_namespace: "monitoring" },
        }]);
      case "kube-state-metrics":
        return staticJob(job, [{
          targets: [`127.0.0.1:${node.kubeStateMetricsPort}`],
          labels: { __meta_kubernetes_service_label_app_kubernetes_io_name: "kube-state-metrics", __meta_kubernetes_endpoint_port_name: "http", __meta_kubernetes_namespace: "kube-system" },
        }]);
      default:
        return staticJob(job, node.services.map(({ pod, port }) => ({
          // The annotation supplies the port; discovery's address is the pod's, any port.
          targets: ["127.0.0.1:8080"],
          labels: {
            __meta_kubernetes_service_annotation_prometheus_io_scrape: "true",
            __meta_kubernetes_service_annotation_prometheus_io_port: String(port),
            __meta_kubernetes_service_annotation_prometheus_io_path: "/metrics",
            __meta_kubernetes_namespace: pod.namespace,
            __meta_kubernetes_service_name: pod.service!,
            __meta_kubernetes_pod_name: pod.name,
          },
        })));
    }
  });
}
