import type { Db } from '../../../core/index.js';
import { MAP_ENTRY } from '../../store/write-spans.js';

/**
 * Whether a span's resource (as stored, JSON) is a browser's: the OpenTelemetry web SDK's
 * `telemetry.sdk.language` `webjs`, or any `browser.*` attribute (the browser resource detector's).
 */
export function isBrowserResource(resourceJson: string): boolean {
  let resource: unknown;
  try {
    resource = JSON.parse(resourceJson);
  } catch {
    return false;
  }
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return false;
  const r = resource as Record<string, unknown>;
  return r['telemetry.sdk.language'] === 'webjs' || Object.keys(r).some((k) => k.startsWith('browser.'));
}

/**
 * The services whose entry spans started in `[startMs, endMs)` come from browsers (the pages of
 * real-user monitoring). One span per service is looked at: the resource is the SDK's, the same on
 * every span it sends, and the rowid is in the map index, so only that one row is read whole.
 */
export function findBrowserServices(db: Db, startMs: number, endMs: number): Set<string> {
  const samples = db
    .prepare<[number, number], { service: string; id: number }>(`SELECT service, MIN(id) AS id FROM spans WHERE map_role = ${MAP_ENTRY} AND start_ms >= ? AND start_ms < ? GROUP BY service`)
    .all(startMs, endMs);
  const resourceOf = db.prepare<[number], { resource: string }>('SELECT resource FROM spans WHERE id = ?');
  const browsers = new Set<string>();
  for (const { service, id } of samples) {
    const row = resourceOf.get(id);
    if (row !== undefined && isBrowserResource(row.resource)) browsers.add(service);
  }
  return browsers;
}
