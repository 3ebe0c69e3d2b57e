/** snappyjs (MIT) ships no types: the two functions the ingest proxy and its tests use. */
declare module "snappyjs" {
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
}
