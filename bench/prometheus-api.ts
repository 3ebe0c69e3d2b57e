/** The few Prometheus HTTP API calls the bench makes against its local receivers. */

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

export async function instantQuery(baseUrl: string, query: string, atSeconds: number): Promise<VectorSample[]> {
  const url = `${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${atSeconds.toFixed(3)}`;
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (!response.ok || body.status !== "success" || !body.data) {
    throw new Error(`query ${query} on ${baseUrl} failed: ${response.status} ${body.error ?? ""}`);
  }
  if (body.data.resultType !== "vector") throw new Error(`query ${query} returned ${body.data.resultType}, expected a vector`);
  return body.data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
}

/** One number: the single sample's value, or 0 for an empty vector. */
export async function scalarQuery(baseUrl: string, query: string, atSeconds: number): Promise<number> {
  const result = await instantQuery(baseUrl, query, atSeconds);
  if (result.length > 1) throw new Error(`query ${query} returned ${result.length} series, expected one`);
  return result[0]?.value ?? 0;
}

/** Sum of a counter over all its series, read from a /metrics page (agent mode has no query API). */
export async function counterFromMetricsPage(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** Samples stored per series in `[atSeconds - rangeSeconds, atSeconds]` (a range selector evaluated as an instant query). */
export async function samplesInRange(baseUrl: string, selector: string, rangeSeconds: number, atSeconds: number): Promise<Array<{ metric: Record<string, string>; samples: number }>> {
  const query = `${selector}[${rangeSeconds}s]`;
  const url = `${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${atSeconds.toFixed(3)}`;
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; values: unknown[] }> } };
  if (!response.ok || body.status !== "success" || !body.data || body.data.resultType !== "matrix") {
    throw new Error(`query ${query} on ${baseUrl} failed: ${response.status} ${body.error ?? body.data?.resultType ?? ""}`);
  }
  return body.data.result.map((series) => ({ metric: series.metric, samples: series.values.length }));
}

/** An instant query's result as series (a scalar becomes one series without labels). */
export async function evaluate(baseUrl: string, query: string, atSeconds: number): Promise<VectorSample[]> {
  const url = `${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${atSeconds.toFixed(3)}`;
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (!response.ok || body.status !== "success" || !body.data) throw new Error(`query ${query} on ${baseUrl} failed: ${response.status} ${body.error ?? ""}`);
  if (body.data.resultType === "scalar") return [{ metric: {}, value: Number((body.data.result as [number, string])[1]) }];
  if (body.data.resultType !== "vector") throw new Error(`query ${query} returned ${body.data.resultType}, expected a vector or a scalar`);
  return (body.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
}
