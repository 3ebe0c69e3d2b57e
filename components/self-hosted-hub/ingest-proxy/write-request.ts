/**
 * Reads the series labels out of a Prometheus remote-write 1.0 request: a snappy
 * (block format) compressed protobuf `prometheus.WriteRequest`. Only labels are decoded;
 * samples, exemplars and histograms are skipped, and the request is forwarded unchanged.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; samples = 2; exemplars = 3; histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 */
import { Reader, Writer } from "protobufjs/minimal";
import { compress, uncompress } from "snappyjs";

export type SeriesLabels = Record<string, string>;

/** Protobuf wire type of a length-delimited field (strings, embedded messages). */
const LENGTH_DELIMITED = 2;

function readLabel(reader: Reader, end: number): [string, string] {
  let name = "";
  let value = "";
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) name = reader.string();
    else if (tag >>> 3 === 2 && (tag & 7) === LENGTH_DELIMITED) value = reader.string();
    else reader.skipType(tag & 7);
  }
  return [name, value];
}

function readSeriesLabels(reader: Reader, end: number): SeriesLabels {
  const labels: SeriesLabels = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
      const labelEnd = reader.uint32() + reader.pos;
      const [name, value] = readLabel(reader, labelEnd);
      labels[name] = value;
    } else {
      reader.skipType(tag & 7);
    }
  }
  return labels;
}

/** The labels of every series in an uncompressed WriteRequest; throws on a malformed message. */
export function decodeSeriesLabels(message: Uint8Array): SeriesLabels[] {
  const reader = Reader.create(message);
  const series: SeriesLabels[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
      const end = reader.uint32() + reader.pos;
      if (end > reader.len) throw new Error("truncated time series");
      series.push(readSeriesLabels(reader, end));
    } else {
      reader.skipType(tag & 7);
    }
  }
  return series;
}

/** Snappy-decompress (refusing more than `maxBytes` uncompressed) and decode. */
export function decodeWriteRequest(body: Uint8Array, maxBytes: number): SeriesLabels[] {
  return decodeSeriesLabels(uncompress(body, maxBytes));
}

export interface EncodableSeries {
  labels: SeriesLabels;
  samples: { value: number; timestampMs: number }[];
}

/**
 * The inverse, for tests and the bench: a compressed WriteRequest with the given series,
 * labels sorted by name as Prometheus sends them.
 */
export function encodeWriteRequest(series: EncodableSeries[]): Uint8Array {
  const writer = Writer.create();
  for (const one of series) {
    writer.uint32((1 << 3) | LENGTH_DELIMITED).fork();
    for (const [name, value] of Object.entries(one.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      writer.uint32((1 << 3) | LENGTH_DELIMITED).fork().uint32((1 << 3) | LENGTH_DELIMITED).string(name).uint32((2 << 3) | LENGTH_DELIMITED).string(value).ldelim();
    }
    for (const sample of one.samples) {
      // Sample { double value = 1; int64 timestamp = 2; }
      writer.uint32((2 << 3) | LENGTH_DELIMITED).fork().uint32((1 << 3) | 1).double(sample.value).uint32(2 << 3).int64(sample.timestampMs).ldelim();
    }
    writer.ldelim();
  }
  return compress(writer.finish());
}
