// Writes docs/events.md from the event catalog (run `npm run docs:events` after adding or changing an event type).
import fs from 'node:fs';
import path from 'node:path';
import { EVENT_TYPES, renderEventsDoc } from '../dist/src/shared/index.js';

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.resolve(import.meta.dirname, '../docs/events.md');
  fs.writeFileSync(out, renderEventsDoc());
  console.log(`wrote ${path.relative(process.cwd(), out)} (${EVENT_TYPES.length} types)`);
}
