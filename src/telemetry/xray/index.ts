// X-Ray daemon protocol ingest: decode UDP datagrams (header line + segment document) into spans.
export { decodeXrayDatagram, MAX_XRAY_DATAGRAM_BYTES } from './decode-datagram.js';
export { xrayTraceIdToHex, xraySpanId } from './ids.js';
