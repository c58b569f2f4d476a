// X-Ray daemon protocol ingest: decode UDP datagrams (header line + segment document) into spans.
export { decodeXrayDatagram, readXrayHeader, MAX_XRAY_DATAGRAM_BYTES, type XrayHeader } from './decode-datagram.js';
export { xrayTraceIdToHex, xraySpanId } from './ids.js';
