import type { AttrValue, MetricPoint } from '../model/index.js';

/** The dimensions of a series: names to string values. */
export type Dimensions = Readonly<Record<string, string>>;

function dimensionText(value: AttrValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The dimensions of a point: `service` (the resource's `service.name`) plus its
 * attributes as text. An attribute named `service` wins over the resource.
 */
export function dimensionsOf(point: MetricPoint): Dimensions {
  const dims: Record<string, string> = { service: point.service };
  for (const [k, v] of Object.entries(point.attributes)) dims[k] = dimensionText(v);
  return dims;
}

/** The canonical text of dimensions: JSON with keys sorted, the series' identity. */
export function dimensionsKey(dims: Dimensions): string {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(dims).sort()) sorted[k] = dims[k] ?? '';
  return JSON.stringify(sorted);
}

/** True when every dimension of `wanted` is in `dims` with the same value. */
export function matchesDimensions(dims: Dimensions, wanted: Dimensions): boolean {
  for (const [k, v] of Object.entries(wanted)) if (dims[k] !== v) return false;
  return true;
}
