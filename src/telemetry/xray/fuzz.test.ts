import fc from 'fast-check';
import { describe, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { decodeXrayDatagram } from './index.js';

// Whatever arrives on the UDP port, the decoder returns spans or throws a typed InputError.

function onlyInputErrors(buf: Buffer): boolean {
  try {
    decodeXrayDatagram(buf);
    return true;
  } catch (err) {
    return err instanceof InputError;
  }
}

const field = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('1-5759e988-bd862e3fe1be46a994272793', '70de5b6f19ff9a0a', 'remote', 'aws', 'subsegment'));
const segmentLike = fc.letrec((tie) => ({
  node: fc.record(
    {
      name: field, id: field, trace_id: field, parent_id: field, type: field, namespace: field, start_time: field, end_time: field, in_progress: field,
      http: fc.oneof(field, fc.record({ request: fc.dictionary(fc.string(), field), response: fc.dictionary(fc.string(), field) })),
      sql: fc.oneof(field, fc.dictionary(fc.constantFrom('url', 'sanitized_query', 'database_type', 'user'), field)),
      cause: fc.oneof(field, fc.record({ exceptions: fc.oneof(field, fc.array(fc.dictionary(fc.constantFrom('message', 'type', 'stack'), field), { maxLength: 2 })) })),
      annotations: fc.oneof(field, fc.dictionary(fc.string(), field)),
      subsegments: fc.oneof({ depthSize: 'small' }, field, fc.array(tie('node'), { maxLength: 2 })),
    },
    { requiredKeys: [] },
  ),
})).node;

describe('decodeXrayDatagram under fuzzing', () => {
  it('random bytes throw only InputError', () => {
    // GIVEN arbitrary bytes, with or without a valid header WHEN decoded THEN only typed errors
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1024 }), fc.boolean(), (bytes, withHeader) =>
      onlyInputErrors(Buffer.concat([Buffer.from(withHeader ? '{"format":"json","version":1}\n' : ''), Buffer.from(bytes)]))), { numRuns: 500 });
  });

  it('random segment-shaped documents throw only InputError', () => {
    // GIVEN JSON shaped like segments with fields of any type WHEN decoded THEN only typed errors
    fc.assert(fc.property(segmentLike, (doc) => onlyInputErrors(Buffer.from(`{"format":"json","version":1}\n${JSON.stringify(doc)}`))), { numRuns: 500 });
  });
});
