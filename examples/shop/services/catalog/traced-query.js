// Prepared statements that record each execution as an OpenTelemetry span
// with the database semantic conventions, so traces show the SQL and its time.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shop-catalog');

/**
 * Prepares `sql` on `db`; `.get()` and `.all()` run it inside a client span.
 * @param {import('better-sqlite3').Database} db
 * @param {string} sql
 */
export function tracedQuery(db, sql) {
  const statement = db.prepare(sql);
  const operation = sql.trim().split(/\s+/, 1)[0].toUpperCase();
  const attributes = {
    'db.system': 'sqlite',
    'db.name': 'catalog',
    'db.operation': operation,
    'db.statement': sql.replace(/\s+/g, ' ').trim(),
  };
  const run = (method, params) =>
    tracer.startActiveSpan(`${operation} catalog`, { kind: SpanKind.CLIENT, attributes }, (span) => {
      try {
        return statement[method](...params);
      } catch (err) {
        span.recordException(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
        throw err;
      } finally {
        span.end();
      }
    });
  return { get: (...params) => run('get', params), all: (...params) => run('all', params) };
}
