/**
 * The Go runtime and process metrics every Go exporter and client_golang service exposes by
 * default (prometheus/client_golang, prometheus/go_collector.go and process_collector.go;
 * names and labels as in any default `/metrics` page of a Go binary).
 */
import { Family, counter, gauge } from "./exposition";

export function goRuntimeFamilies(key: string, t: number): Family[] {
  const g = (name: string, help: string, level: number): Family => ({ name, type: "gauge", help, samples: [{ labels: {}, value: gauge(`${key}/${name}`, t, level) }] });
  const c = (name: string, help: string, perSecond: number): Family => ({ name, type: "counter", help, samples: [{ labels: {}, value: counter(`${key}/${name}`, t, perSecond, 1000) }] });
  const memstats = ["alloc_bytes", "buck_hash_sys_bytes", "gc_sys_bytes", "heap_alloc_bytes", "heap_idle_bytes", "heap_inuse_bytes", "heap_objects", "heap_released_bytes", "heap_sys_bytes", "last_gc_time_seconds", "mcache_inuse_bytes", "mcache_sys_bytes", "mspan_inuse_bytes", "mspan_sys_bytes", "next_gc_bytes", "other_sys_bytes", "stack_inuse_bytes", "stack_sys_bytes", "sys_bytes"];
  return [
    {
      name: "go_gc_duration_seconds", type: "summary", help: "A summary of the pause duration of garbage collection cycles.",
      samples: [...["0", "0.25", "0.5", "0.75", "1"].map((quantile, i) => ({ labels: { quantile }, value: 2e-5 * (i + 1) })), { suffix: "_sum", labels: {}, value: counter(`${key}/gcsum`, t, 0.001) }, { suffix: "_count", labels: {}, value: Math.floor(counter(`${key}/gccount`, t, 0.2)) }],
    },
    g("go_goroutines", "Number of goroutines that currently exist.", 80),
    g("go_threads", "Number of OS threads created.", 12),
    { name: "go_info", type: "gauge", help: "Information about the Go environment.", samples: [{ labels: { version: "go1.22.5" }, value: 1 }] },
    g("go_gc_gogc_percent", "Heap size target percentage configured by the user.", 100),
    g("go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user.", 9.2e18),
    c("go_memstats_alloc_bytes_total", "Total number of bytes allocated, even if freed.", 50000),
    c("go_memstats_frees_total", "Total number of frees.", 500),
    c("go_memstats_lookups_total", "Total number of pointer lookups.", 0),
    c("go_memstats_mallocs_total", "Total number of mallocs.", 520),
    ...memstats.map((m) => g(`go_memstats_${m}`, `Number of ${m.replace(/_/g, " ")}.`, 8e6)),
    c("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", 0.02),
    g("process_max_fds", "Maximum number of open file descriptors.", 1048576),
    g("process_open_fds", "Number of open file descriptors.", 14),
    g("process_resident_memory_bytes", "Resident memory size in bytes.", 3e7),
    g("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", 1.7e9),
    g("process_virtual_memory_bytes", "Virtual memory size in bytes.", 1.3e9),
    g("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", 1.8e19),
  ];
}
