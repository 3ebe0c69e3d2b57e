/**
 * Serves a generated node's exporters on 127.0.0.1: the kubelet (`/metrics`,
 * `/metrics/cadvisor`, `/metrics/resource`), kube-state-metrics, and one server per
 * instrumented application pod (each pod has its own address in a cluster; here its own port).
 */
import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { cadvisorFamilies } from "./cadvisor";
import { Clock, Family, renderExposition } from "./exposition";
import { instrumentedServiceFamilies } from "./instrumented-service";
import { kubeletFamilies } from "./kubelet";
import { kubeletResourceFamilies } from "./kubelet-resource";
import { kubeStateMetricsFamilies } from "./kube-state-metrics";
import { NodeModel, PodModel } from "./node-model";

export interface ServedNode {
  kubeletPort: number;
  kubeStateMetricsPort: number;
  services: Array<{ pod: PodModel; port: number }>;
  close(): Promise<void>;
}

function listen(routes: Record<string, () => Family[]>): Promise<Server> {
  const server = createServer((request, response) => {
    const families = routes[(request.url ?? "/").split("?")[0]];
    if (!families) {
      response.writeHead(404).end("not found\n");
      return;
    }
    response.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }).end(renderExposition(families()));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;

export async function serveNode(model: NodeModel, clock: Clock): Promise<ServedNode> {
  const servers: Server[] = [];
  try {
    const kubelet = await listen({
      "/metrics": () => kubeletFamilies(model, clock),
      "/metrics/cadvisor": () => cadvisorFamilies(model, clock),
      "/metrics/resource": () => kubeletResourceFamilies(model, clock),
    });
    servers.push(kubelet);
    const kubeStateMetrics = await listen({ "/metrics": () => kubeStateMetricsFamilies(model, clock) });
    servers.push(kubeStateMetrics);
    const services: ServedNode["services"] = [];
    for (const pod of model.pods.filter((p) => p.service)) {
      const server = await listen({ "/metrics": () => instrumentedServiceFamilies(pod, clock) });
      servers.push(server);
      services.push({ pod, port: portOf(server) });
    }
    return {
      kubeletPort: portOf(kubelet),
      kubeStateMetricsPort: portOf(kubeStateMetrics),
      services,
      close: () => closeAll(servers),
    };
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
}

async function closeAll(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  })));
}
