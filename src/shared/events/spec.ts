import type { z } from 'zod';

/** One entry of the event catalog: what an event type means and the shape of its payload. */
export interface EventSpec<S extends z.ZodType<Readonly<Record<string, unknown>>> = z.ZodType<Readonly<Record<string, unknown>>>> {
  /** One line: when the event is appended. */
  readonly doc: string;
  /** The payload (`data`) as slipway writes it today. */
  readonly schema: S;
  /**
   * Turns a payload written by an earlier version of slipway into today's shape, so old rows of an
   * existing database still read. Runs before the schema when reading; absent when the shape never changed.
   */
  readonly upgrade?: (data: Readonly<Record<string, unknown>>, subject: string) => Readonly<Record<string, unknown>>;
}

/** Builds a catalog entry (keeps the schema's own type, for {@link EventPayloads}). */
export function eventSpec<S extends z.ZodType<Readonly<Record<string, unknown>>>>(doc: string, schema: S, upgrade?: EventSpec['upgrade']): EventSpec<S> {
  return upgrade === undefined ? { doc, schema } : { doc, schema, upgrade };
}
