import type { LogsQueryResultDto } from '../../../src/shared/index.js';
import { formatTime } from '../lib/format.js';

/** The rows of a Logs Insights answer as a table: `@timestamp` as a time, `@message` wide, numbers right-aligned. */
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
                  {c === '@timestamp' && typeof r[c] === 'number' ? formatTime(r[c]) : r[c] === null || r[c] === undefined ? '' : String(r[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
