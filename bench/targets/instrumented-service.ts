/**
 * An application pod instrumented with the Prometheus Go client's defaults: a request
 * counter by handler, method and status code, a latency histogram by handler and method
 * with the default buckets, the promhttp handler's own counter, and the Go runtime.
 *
 * Shape after prometheus/client_golang: prometheus/promhttp/instrument_server.go
 * (InstrumentHandlerCounter / InstrumentHandlerDuration with `code` and `method`, curried by
 * `handler`), prometheus/histogram.go (DefBuckets .005 ... 10), promhttp/http.go
 * (promhttp_metric_handler_requests_total by code).
 */
import { Clock, Family, counter, histogramSamples } from "./exposition";
import { goRuntimeFamilies } from "./go-runtime";
import { PodModel } from "./node-model";

/** prometheus.DefBuckets */
export const CLIENT_DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** (handler, method) routes, each with the status codes it answers and their share of its traffic. */
const ROUTES: Array<{ handler: string; method: string; perSecond: number; medianSeconds: number; codes: Array<[string, number]> }> = [
  { handler: "/api/v1/items", method: "GET", perSecond: 4, medianSeconds: 0.03, codes: [["200", 0.96], ["404", 0.03], ["500", 0.01]] },
  { handler: "/api/v1/items", method: "POST", perSecond: 1, medianSeconds: 0.08, codes: [["201", 0.97], ["400", 0.02], ["500", 0.01]] },
  { handler: "/healthz", method: "GET", perSecond: 0.2, medianSeconds: 0.002, codes: [["200", 1]] },
];

export function instrumentedServiceFamilies(pod: PodModel, clock: Clock): Family[] {
  const t = clock();
  const requests = (route: (typeof ROUTES)[number]) => counter(`${pod.uid}${route.handler}${route.method}`, t, route.perSecond, 500);
  return [
    {
      name: "http_requests_total", type: "counter", help: "Total number of HTTP requests by handler, method and status code.",
      samples: ROUTES.flatMap((route) => route.codes.map(([code, share]) => ({ labels: { code, handler: route.handler, method: route.method }, value: Math.floor(requests(route) * share) }))),
    },
    {
      name: "http_request_duration_seconds", type: "histogram", help: "Latency of HTTP requests by handler and method.",
      samples: ROUTES.flatMap((route) => histogramSamples({ handler: route.handler, method: route.method }, CLIENT_DEFAULT_BUCKETS, Math.floor(requests(route)), route.medianSeconds)),
    },
    { name: "promhttp_metric_handler_requests_total", type: "counter", help: "Total number of scrapes by HTTP status code.", samples: ["200", "500", "503"].map((code) => ({ labels: { code }, value: code === "200" ? Math.floor(t / 30) + 1 : 0 })) },
    { name: "promhttp_metric_handler_requests_in_flight", type: "gauge", help: "Current number of scrapes being served.", samples: [{ labels: {}, value: 1 }] },
    ...goRuntimeFamilies(pod.uid, t),
  ];
}
