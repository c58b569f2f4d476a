import { isValidSpanId, isValidTraceId } from '../model/index.js';

const XRAY_TRACE_ID = /^1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})$/;

/**
 * An X-Ray trace id (`1-5759e988-bd862e3fe1be46a994272793`: version 1, epoch
 * seconds in hex, 96 random bits) as a 32-hex trace id
 * (`5759e988bd862e3fe1be46a994272793`); `undefined` when malformed or all zeros.
 */
export function xrayTraceIdToHex(xrayTraceId: unknown): string | undefined {
  if (typeof xrayTraceId !== 'string') return undefined;
  const m = XRAY_TRACE_ID.exec(xrayTraceId);
  if (!m) return undefined;
  const hex = `${m[1]}${m[2]}`.toLowerCase();
  return isValidTraceId(hex) ? hex : undefined;
}

/** An X-Ray segment or subsegment id (16 hex) in lowercase; `undefined` when malformed or all zeros. */
export function xraySpanId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const hex = id.toLowerCase();
  return isValidSpanId(hex) ? hex : undefined;
}
