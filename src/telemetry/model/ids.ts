const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZEROS = /^0+$/;

/** True for a valid trace id: 32 lowercase hex characters, not all zeros. */
export function isValidTraceId(hex: string): boolean {
  return TRACE_ID.test(hex) && !ALL_ZEROS.test(hex);
}

/** True for a valid span id: 16 lowercase hex characters, not all zeros. */
export function isValidSpanId(hex: string): boolean {
  return SPAN_ID.test(hex) && !ALL_ZEROS.test(hex);
}
