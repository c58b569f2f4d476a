import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/index.js';
import { decodeOtlpLogs } from './index.js';

const NOW_NS = BigInt(Date.now()) * 1_000_000n;

/** An OTLP/JSON AnyValue: `levels` kvlistValues around a string. */
function kvlist(levels: number): string {
  let value = '{"stringValue":"x"}';
  for (let i = 0; i < levels; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
  return value;
}

/** `{ k: { k: ... leaf } }`, `levels` objects deep. */
function objects(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { k: value };
  return value;
}

function logsWithBody(body: string): Buffer {
  return Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"${NOW_NS}","body":${body}}]}]}]}`);
}

// Protobuf, written by hand: encoders refuse such depths, a hostile sender does not.
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
const field = (tag: number, payload: Buffer) => Buffer.concat([Buffer.from([tag]), varint(payload.length), payload]);

/** An `ExportLogsServiceRequest` whose one log record's body is `levels` arrayValues deep. */
function protobufLogsWithArrays(levels: number): Buffer {
  const leaf = field(0x0a, Buffer.from('x')); // AnyValue.string_value
  // Headers from the inside out (each length covers everything inside it), written once.
  const headers: Buffer[] = [];
  let size = leaf.length;
  for (let i = 0; i < levels; i++) {
    const values = Buffer.concat([Buffer.from([0x0a]), varint(size)]); // ArrayValue.values
    size += values.length;
    const array = Buffer.concat([Buffer.from([0x2a]), varint(size)]); // AnyValue.array_value
    size += array.length;
    headers.push(values, array);
  }
  const any = Buffer.concat([...headers.reverse(), leaf]);
  const record = field(0x2a, any); // LogRecord.body
  return field(0x0a, field(0x12, field(0x12, record))); // request.resource_logs.scope_logs.log_records
}

describe('AnyValue nesting', () => {
  it.each([
    // GIVEN a body at the deepest nesting kept THEN it is stored whole, with no warning
    { levels: 16, body: objects(16, 'x'), warning: undefined },
    // GIVEN one level more THEN the innermost value is cut, and the sender is told
    { levels: 17, body: objects(17, null), warning: '1 attribute or body value was nested deeper than 16 levels and cut to null' },
    // GIVEN 5 000 levels THEN the same: cut at 16, no stack overflow
    { levels: 5000, body: objects(17, null), warning: '1 attribute or body value was nested deeper than 16 levels and cut to null' },
  ])('a log body $levels kvlists deep', ({ levels, body, warning }) => {
    // WHEN it is decoded
    const result = decodeOtlpLogs(logsWithBody(kvlist(levels)), 'application/json');
    // THEN the record is accepted (rejected 0), its body cut where it was too deep
    expect(result.rejected).toBe(0);
    expect(result.records.map((r) => JSON.parse(r.body) as unknown)).toEqual([body]);
    expect(result.errorMessage).toBe(warning);
  });

  it('a protobuf body 100 000 arrayValues deep is a 400 malformed, not a crash', () => {
    // GIVEN a protobuf request nested far deeper than the decoder recurses
    const body = protobufLogsWithArrays(100_000);
    // WHEN it is decoded THEN it is refused as a whole with a typed 400
    let error: unknown;
    try {
      decodeOtlpLogs(body, 'application/x-protobuf');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      code: 'SLW_ERR_OTLP_MALFORMED',
      status: 400,
      message: 'The logs request body could not be decoded as protobuf: messages are nested deeper than 100 levels (the protobuf recursion limit, as in protoc)',
    });
  });

  it('a protobuf body 20 arrayValues deep is decoded and cut at 16', () => {
    // GIVEN a legitimately encoded but deep body WHEN decoded THEN accepted, cut, and told
    const result = decodeOtlpLogs(protobufLogsWithArrays(20), 'application/x-protobuf');
    expect(result).toMatchObject({ rejected: 0, errorMessage: '1 attribute or body value was nested deeper than 16 levels and cut to null' });
  });
});
