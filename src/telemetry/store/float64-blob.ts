/** Numbers as a float64 BLOB (little-endian, the platform's order). */
export function float64Blob(values: readonly number[]): Buffer {
  const a = Float64Array.from(values);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A float64 BLOB back to numbers. */
export function fromFloat64Blob(blob: Uint8Array): Float64Array {
  // Copy: SQLite's buffer may not be 8-byte aligned.
  const copy = new Uint8Array(blob);
  return new Float64Array(copy.buffer, 0, copy.byteLength / 8);
}
