import type { LogsQueryResultDto } from '../../../src/shared/index.js';
import { formatTime } from '../lib/format.js';
import { Link } from '../lib/router.js';

/** Columns that hold the trace a line was written in: slipway's own, and what services write. */
const TRACE_COLUMNS = new Set(['@traceId', 'trace_id', 'traceId']);
const TRACE_ID = /^[0-9a-f]{32}$/;

/** A cell: a trace id is a link to its trace, `@timestamp` a time, anything else its text. */
function Cell({ column, value }: { column: string; value: unknown }) {
  if (TRACE_COLUMNS.has(column) && typeof value === 'string' && TRACE_ID.test(value)) {
    return (
      <Link to={`/traces?trace=${value}`} aria-label={`trace ${value}`}>
        {value}
      </Link>
    );
  }
  return <>{column === '@timestamp' && typeof value === 'number' ? formatTime(value) : value === null || value === undefined ? '' : String(value)}</>;
}

/** The rows of a Logs Insights answer as a table: `@timestamp` as a time, `@message` wide, numbers right-aligned, trace ids linked to their traces. */
export function LogResultsTable({ result }: { result: Pick<LogsQueryResultDto, 'columns' | 'rows'> }) {
  return (
    <div className="table-wrap results">
      <table className="table compact">
        <thead>
          <tr>
            {result.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r, i) => (
            <tr key={i}>
              {result.columns.map((c) => (
                <td key={c} className={c === '@message' ? 'mono msg' : typeof r[c] === 'number' && c !== '@timestamp' ? 'num' : 'mono'}>
                  <Cell column={c} value={r[c]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
