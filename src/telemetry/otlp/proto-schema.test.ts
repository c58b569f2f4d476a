import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OTLP_PROTO_FILES } from './proto-schema.generated.js';

// proto-schema.generated.ts embeds the vendored .proto files (comments removed)
// so the decoder needs no files at runtime. This keeps the two in step; run with
// SLIPWAY_UPDATE_PROTO_SCHEMA=1 after updating the .proto files to regenerate it.

const FILES = [
  'opentelemetry/proto/common/v1/common.proto',
  'opentelemetry/proto/resource/v1/resource.proto',
  'opentelemetry/proto/trace/v1/trace.proto',
  'opentelemetry/proto/metrics/v1/metrics.proto',
  'opentelemetry/proto/logs/v1/logs.proto',
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
];

function stripComments(text: string): string {
  const lines = text.split('\n').map((line) => {
    let inQuote = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') inQuote = !inQuote;
      else if (!inQuote && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i).trimEnd();
    }
    return line.trimEnd();
  });
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

function render(): string {
  const entries = FILES.map((f) => `  '${f}': \`\n${stripComments(readFileSync(fileURLToPath(new URL(`./proto/${f}`, import.meta.url)), 'utf8'))}\`,`);
  return `// GENERATED from ./proto/**/*.proto (the official OTLP protos, Apache-2.0,
// Copyright OpenTelemetry Authors) with comments and blank lines removed.
// Do not edit: proto-schema.test.ts fails when this drifts from the .proto files
// and regenerates it when run with SLIPWAY_UPDATE_PROTO_SCHEMA=1.

/** The OTLP proto files by import path, in dependency order. */
export const OTLP_PROTO_FILES: Readonly<Record<string, string>> = {
${entries.join('\n')}
};
`;
}

describe('proto-schema.generated.ts', () => {
  it('embeds exactly the vendored .proto files', () => {
    // GIVEN the vendored protos WHEN rendered as the generated module THEN it matches the file
    const target = fileURLToPath(new URL('./proto-schema.generated.ts', import.meta.url));
    if (process.env.SLIPWAY_UPDATE_PROTO_SCHEMA === '1') writeFileSync(target, render());
    expect(readFileSync(target, 'utf8')).toBe(render());
    expect(Object.keys(OTLP_PROTO_FILES)).toEqual(FILES);
  });

  it('keeps the license header in every vendored .proto file', () => {
    // GIVEN each vendored file THEN it still carries the Apache-2.0 header
    for (const f of FILES) {
      const text = readFileSync(fileURLToPath(new URL(`./proto/${f}`, import.meta.url)), 'utf8');
      expect(text).toMatch(/^\/\/ Copyright 20(19|20), OpenTelemetry Authors\n\/\/\n\/\/ Licensed under the Apache License, Version 2\.0/);
    }
  });
});
