/**
 * How big each self-hosted hub task is and how long metrics are kept, per environment
 * kind. Stacks pick `dev` or `prod` and may override single values from config.
 */

/** Fargate task size: CPU units (1024 = 1 vCPU) and memory MiB, a combination Fargate accepts. */
export interface TaskSize {
  cpu: number;
  memoryMiB: number;
}

export interface SelfHostedSizing {
  /** `--storage.tsdb.retention.time`: samples older than this are deleted. */
  retentionTime: string;
  /** `--storage.tsdb.retention.size`: the TSDB also stops growing past this (Prometheus units: GB). */
  retentionSize: string;
  /** The Prometheus task: the server and its ingest proxy share it. */
  prometheus: TaskSize;
  alertmanager: TaskSize;
  grafana: TaskSize;
  cloudWatchExporter: TaskSize;
  /** EFS throughput mode: `elastic` scales with use; `provisioned` for a steady high write rate. */
  efsThroughputMode: "bursting" | "elastic" | "provisioned";
  /** MiB/s when `provisioned`. */
  efsProvisionedThroughputMibps?: number;
  /** Independent Prometheus servers, each receiving every write (see README: HA). */
  prometheusReplicas: 1 | 2;
}

export const SIZING: Readonly<Record<"dev" | "prod", SelfHostedSizing>> = Object.freeze({
  dev: {
    retentionTime: "7d",
    retentionSize: "50GB",
    prometheus: { cpu: 1024, memoryMiB: 4096 },
    alertmanager: { cpu: 256, memoryMiB: 512 },
    grafana: { cpu: 512, memoryMiB: 1024 },
    cloudWatchExporter: { cpu: 256, memoryMiB: 512 },
    efsThroughputMode: "elastic",
    prometheusReplicas: 1,
  },
  prod: {
    retentionTime: "90d",
    retentionSize: "900GB",
    prometheus: { cpu: 4096, memoryMiB: 16384 },
    alertmanager: { cpu: 512, memoryMiB: 1024 },
    grafana: { cpu: 1024, memoryMiB: 2048 },
    cloudWatchExporter: { cpu: 512, memoryMiB: 1024 },
    efsThroughputMode: "elastic",
    prometheusReplicas: 2,
  },
});

/** Fargate's CPU -> allowed memory (MiB) table for the sizes used here (Linux tasks). */
const FARGATE_MEMORY: Record<number, (memory: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
  8192: (m) => m >= 16384 && m <= 61440 && m % 4096 === 0,
  16384: (m) => m >= 32768 && m <= 122880 && m % 8192 === 0,
};

/** Throws, naming the task, when Fargate would refuse the CPU/memory pair. */
export function assertFargateSize(task: string, size: TaskSize): TaskSize {
  const fits = FARGATE_MEMORY[size.cpu];
  if (!fits || !fits(size.memoryMiB)) {
    throw new Error(`${task}: Fargate has no task size of ${size.cpu} CPU units with ${size.memoryMiB} MiB (see "Task CPU and memory" in the ECS developer guide)`);
  }
  return size;
}
