import { z } from 'zod';
import { CUSTOM_EVENT_PREFIX, customEventSpec, eventCatalog } from './catalog.js';
import type { EventSpec } from './spec.js';

type JsonSchema = { type?: string | string[]; enum?: unknown[]; const?: unknown; anyOf?: JsonSchema[]; items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: JsonSchema | boolean };

/** A JSON schema's type in TypeScript-like words: `string`, `number | null`, `"OK" | "ALARM"`, `string[]`. */
function typeText(s: JsonSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeText).join(' \\| ');
  const t = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (t.length === 0) return 'any';
  return t
    .map((x) => {
      if (x === 'array') return `${s.items ? typeText(s.items) : 'any'}[]`;
      if (x === 'object') return s.properties ? `{ ${fieldsText(s)} }` : s.additionalProperties && s.additionalProperties !== true ? `{ [key]: ${typeText(s.additionalProperties)} }` : 'object';
      if (x === 'integer') return 'integer';
      return x;
    })
    .join(' \\| ');
}

function fieldsText(s: JsonSchema): string {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {})
    .map(([k, v]) => `\`${k}${required.has(k) ? '' : '?'}\`: ${typeText(v)}`)
    .join(', ');
}

/** The payload of an entry, one line: its fields with their types, `?` marking optional ones. */
export function describePayload(spec: EventSpec): string {
  const json = z.toJSONSchema(spec.schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  return json.properties ? fieldsText(json) : typeText(json);
}

/** The markdown page of the event catalog (`docs/events.md`); `tools/events-doc.js` writes it. */
export function renderEventsDoc(): string {
  const rows = Object.entries(eventCatalog as Record<string, EventSpec>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, spec]) => `| \`${type}\` | ${spec.doc.replaceAll('|', '\\|')}${spec.upgrade ? ' Rows of the first version are read in today\'s shape.' : ''} | ${describePayload(spec)} |`);
  return [
    '# Events',
    '',
    'Every state change slipway makes is appended to its event log (see [architecture](architecture.md#the-event-log)).',
    'Each event has a `type`, a `subject` (what it is about, e.g. `deployment/42`) and a JSON `data` payload. These are',
    'all the types slipway appends, with their payloads; `?` marks a field that may be absent. Readers may meet fields',
    'that are not listed here, and should ignore them.',
    '',
    'This page is generated from `src/shared/events/` by `npm run docs:events`; a test fails when they differ.',
    '',
    '| type | when | payload (`data`) |',
    '|---|---|---|',
    ...rows,
    '',
    `Types starting with \`${CUSTOM_EVENT_PREFIX}\` are open: ${customEventSpec.doc}`,
    '',
  ].join('\n');
}
