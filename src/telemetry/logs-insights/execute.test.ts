import { describe, expect, it } from 'vitest';
import { executeQuery, planQuery, type CellValue, type LogRecord } from './index.js';

// A deterministic fixture: 200 records of three services, JSON and plain-text messages.
// Expectations below are computed from the generator's facts with plain array code,
// never through the evaluator.

interface Fact {
  readonly i: number;
  readonly ts: number;
  readonly service: string;
  readonly stream: string;
  readonly log: string;
  readonly kind: 'json' | 'text' | 'timeout';
  readonly level: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly latency: number;
  readonly user: string | undefined;
  readonly attrs: { region: string; retries: number; label: string } | undefined;
  readonly message: string;
}

const BASE = Date.UTC(2024, 0, 15, 10, 0, 0);
const SERVICES = ['gateway', 'catalog', 'payments'];
const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
const METHODS = ['GET', 'POST', 'PUT'];
const PATHS = ['/api/orders', '/api/items', '/healthz', '/api/cart'];
const STATUSES = [200, 200, 201, 404, 500, 503];

function makeFacts(): Fact[] {
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const facts: Fact[] = [];
  for (let i = 0; i < 200; i++) {
    const service = SERVICES[i % 3] as string;
    const level = LEVELS[rand(4)] as string;
    const method = METHODS[rand(3)] as string;
    const path = PATHS[rand(4)] as string;
    const status = STATUSES[rand(6)] as number;
    const latency = 1 + rand(600);
    const user = i % 7 === 0 ? undefined : `u${(i * 13) % 17}`;
    const kind = i % 5 < 3 ? 'json' : i % 5 === 3 ? 'text' : 'timeout';
    const ts = BASE + ((i * 7919) % 200) * 37_000 + rand(1000);
    const message =
      kind === 'json'
        ? JSON.stringify({
            level, service, msg: `handled ${method} ${path}`, http: { method, path, status },
            latencyMs: latency, delta: latency - 300, ...(user === undefined ? {} : { user }),
            'weird-name': `w${i % 4}`, tags: ['a', `t${i % 3}`],
          })
        : kind === 'text'
          ? `${level} ${method} ${path} ${status} ${latency}ms user=${user ?? 'none'}`
          : `Request failed: ${i % 10 === 4 ? 'Timeout' : 'timeout'} after ${latency} ms on ${path}`;
    const attrs = i % 4 === 0
      ? { region: i % 8 === 0 ? 'eu-west-1' : 'us-east-1', retries: i % 3, label: i % 12 === 0 ? '   ' : `  tag-${i % 5}  ` }
      : undefined;
    facts.push({
      i, ts, service, stream: `${service}/task-${Math.floor(i / 3) % 2}`, log: `shop/${service}`,
      kind, level, method, path, status, latency, user, attrs, message,
    });
  }
  return facts;
}

const facts = makeFacts();
const records: LogRecord[] = facts.map((f) => ({
  timestampMs: f.ts, message: f.message, logStream: f.stream, log: f.log, ingestionTimeMs: f.ts + 500,
  ...(f.attrs === undefined ? {} : { fields: f.attrs }),
}));

const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
const json = facts.filter((f) => f.kind === 'json');
const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const defaultRow = (f: Fact): Record<string, CellValue> => ({ '@timestamp': fmt(f.ts), '@message': f.message });
function countBy<T>(items: readonly T[], key: (t: T) => CellValue): Map<CellValue, number> {
  const m = new Map<CellValue, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}
const nearestRank = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
};
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

interface Case {
  readonly name: string;
  readonly query: string;
  readonly columns: string[];
  readonly rows: () => Record<string, CellValue>[];
}

const cases: Case[] = [
  {
    name: 'filter on a JSON field with =',
    query: 'filter level = "ERROR"',
    columns: ['@timestamp', '@message'],
    rows: () => json.filter((f) => f.level === 'ERROR').map(defaultRow),
  },
  {
    name: 'filter >= on a nested JSON number, fields with dotted names',
    query: 'filter http.status >= 500 | fields @timestamp, http.status, latencyMs',
    columns: ['@timestamp', 'http.status', 'latencyMs'],
    rows: () => json.filter((f) => f.status >= 500).map((f) => ({ '@timestamp': fmt(f.ts), 'http.status': f.status, latencyMs: f.latency })),
  },
  {
    name: '!= excludes records where the field is absent',
    query: 'filter http.status != 200 | fields http.status',
    columns: ['http.status'],
    rows: () => json.filter((f) => f.status !== 200).map((f) => ({ 'http.status': f.status })),
  },
  {
    name: '< and = joined by and',
    query: 'filter latencyMs < 100 and http.method = "GET" | fields latencyMs, http.method',
    columns: ['latencyMs', 'http.method'],
    rows: () => json.filter((f) => f.latency < 100 && f.method === 'GET').map((f) => ({ latencyMs: f.latency, 'http.method': f.method })),
  },
  {
    name: 'or, then stats count by a field',
    query: 'filter level = "ERROR" or level = "WARN" | stats count(*) as n by level',
    columns: ['level', 'n'],
    rows: () => [...countBy(json.filter((f) => f.level === 'ERROR' || f.level === 'WARN'), (f) => f.level)].map(([level, n]) => ({ level, n })),
  },
  {
    name: 'not over a parenthesised comparison keeps records without the field',
    query: 'filter not (level = "INFO") | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => !(f.kind === 'json' && f.level === 'INFO')).length }],
  },
  {
    name: 'like with a string is a case-sensitive substring match',
    query: 'filter @message like "Timeout"',
    columns: ['@timestamp', '@message'],
    rows: () => facts.filter((f) => f.message.includes('Timeout')).map(defaultRow),
  },
  {
    name: 'like with a /regex/i',
    query: 'filter @message like /timeout/i | stats count(*)',
    columns: ['count(*)'],
    rows: () => [{ 'count(*)': facts.filter((f) => /timeout/i.test(f.message)).length }],
  },
  {
    name: 'not like with a regex',
    query: 'filter @message not like /^\\{/ | stats count(*) as plain',
    columns: ['plain'],
    rows: () => [{ plain: facts.filter((f) => !f.message.startsWith('{')).length }],
  },
  {
    name: '=~ with an anchored regex',
    query: 'filter @message =~ /user=u\\d+$/ | fields @message',
    columns: ['@message'],
    rows: () => facts.filter((f) => f.kind === 'text' && f.user !== undefined).map((f) => ({ '@message': f.message })),
  },
  {
    name: 'in a list of strings',
    query: 'filter http.path in ["/api/orders", "/api/cart"] | stats count(*) as n by http.path',
    columns: ['http.path', 'n'],
    rows: () => [...countBy(json.filter((f) => f.path === '/api/orders' || f.path === '/api/cart'), (f) => f.path)].map(([p, n]) => ({ 'http.path': p, n })),
  },
  {
    name: 'not in a list of numbers',
    query: 'filter http.status not in [200, 201] | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: json.filter((f) => f.status !== 200 && f.status !== 201).length }],
  },
  {
    name: 'a string literal equals a JSON number',
    query: 'filter http.status = "500" | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: json.filter((f) => f.status === 500).length }],
  },
  {
    name: '@logStream equality',
    query: 'filter @logStream = "gateway/task-0" | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.stream === 'gateway/task-0').length }],
  },
  {
    name: '@log in, stats by @log',
    query: 'filter @log in ["shop/gateway", "shop/payments"] | stats count(*) as n by @log',
    columns: ['@log', 'n'],
    rows: () => [...countBy(facts.filter((f) => f.log !== 'shop/catalog'), (f) => f.log)].map(([log, n]) => ({ '@log': log, n })),
  },
  {
    name: 'arithmetic + - * / %',
    query: 'filter ispresent(latencyMs) | fields latencyMs + 1 as a, latencyMs - 1 as b, latencyMs * 2 as c, latencyMs / 4 as d, latencyMs % 7 as e | limit 5',
    columns: ['a', 'b', 'c', 'd', 'e'],
    rows: () => json.slice(0, 5).map((f) => ({ a: f.latency + 1, b: f.latency - 1, c: f.latency * 2, d: f.latency / 4, e: f.latency % 7 })),
  },
  {
    name: 'unary minus, ^ and an unaliased expression named by its text',
    query: 'filter ispresent(latencyMs) | fields -latencyMs as neg, 2 ^ 3 as eight, latencyMs * 2 | limit 2',
    columns: ['neg', 'eight', 'latencyMs * 2'],
    rows: () => json.slice(0, 2).map((f) => ({ neg: -f.latency, eight: 8, 'latencyMs * 2': f.latency * 2 })),
  },
  {
    name: 'strlen, tolower, toupper',
    query: 'filter ispresent(msg) | fields strlen(msg) as len, tolower(level) as lo, toupper(http.method) as up | limit 10',
    columns: ['len', 'lo', 'up'],
    rows: () => json.slice(0, 10).map((f) => ({ len: `handled ${f.method} ${f.path}`.length, lo: f.level.toLowerCase(), up: f.method })),
  },
  {
    name: 'trim on a structured attribute',
    query: 'filter ispresent(label) | fields trim(label) as t',
    columns: ['t'],
    rows: () => facts.filter((f) => f.attrs !== undefined).map((f) => ({ t: (f.attrs?.label ?? '').trim() })),
  },
  {
    name: 'concat of text and a number',
    query: 'filter ispresent(level) | fields concat(level, ":", http.status) as c | limit 8',
    columns: ['c'],
    rows: () => json.slice(0, 8).map((f) => ({ c: `${f.level}:${f.status}` })),
  },
  {
    name: 'substr with and without a length',
    query: 'fields substr(@logStream, 0, 7) as s, substr(@logStream, 8) as rest | limit 6',
    columns: ['s', 'rest'],
    rows: () => facts.slice(0, 6).map((f) => ({ s: f.stream.slice(0, 7), rest: f.stream.slice(8) })),
  },
  {
    name: 'replace every occurrence',
    query: 'filter ispresent(http.path) | fields replace(http.path, "/api/", "") as p | limit 6',
    columns: ['p'],
    rows: () => json.slice(0, 6).map((f) => ({ p: f.path.split('/api/').join('') })),
  },
  {
    name: 'strcontains summed inside an aggregate',
    query: 'stats sum(strcontains(@message, "Timeout")) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.message.includes('Timeout')).length }],
  },
  {
    name: 'isempty on a field some JSON messages lack',
    query: 'filter isempty(user) | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.kind !== 'json' || f.user === undefined).length }],
  },
  {
    name: 'isblank counts absent and whitespace-only values',
    query: 'filter isblank(label) | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.attrs === undefined || f.attrs.label.trim() === '').length }],
  },
  {
    name: 'coalesce, stats by its alias, sort on two keys',
    query: 'filter ispresent(level) | fields coalesce(user, "anonymous") as who | stats count(*) as n by who | sort n desc, who asc | limit 5',
    columns: ['who', 'n'],
    rows: () =>
      [...countBy(json, (f) => f.user ?? 'anonymous')]
        .map(([who, n]) => ({ who, n }))
        .sort((a, b) => b.n - a.n || cmp(a.who as string, b.who as string))
        .slice(0, 5),
  },
  {
    name: 'abs, ceil, floor',
    query: 'filter ispresent(delta) | fields abs(delta) as a, ceil(latencyMs / 3) as c, floor(latencyMs / 3) as f | limit 7',
    columns: ['a', 'c', 'f'],
    rows: () => json.slice(0, 7).map((f) => ({ a: Math.abs(f.latency - 300), c: Math.ceil(f.latency / 3), f: Math.floor(f.latency / 3) })),
  },
  {
    name: 'greatest and least',
    query: 'filter ispresent(latencyMs) | fields greatest(latencyMs, 300) as g, least(latencyMs, 300) as l | limit 7',
    columns: ['g', 'l'],
    rows: () => json.slice(0, 7).map((f) => ({ g: Math.max(f.latency, 300), l: Math.min(f.latency, 300) })),
  },
  {
    name: 'log and sqrt',
    query: 'filter ispresent(latencyMs) | fields log(latencyMs) as ln, sqrt(latencyMs) as sq | limit 4',
    columns: ['ln', 'sq'],
    rows: () => json.slice(0, 4).map((f) => ({ ln: Math.log(f.latency), sq: Math.sqrt(f.latency) })),
  },
  {
    name: 'stats by bin(10m), sorted ascending',
    query: 'stats count(*) as n by bin(10m) as t | sort t asc',
    columns: ['t', 'n'],
    rows: () =>
      [...countBy(facts, (f) => Math.floor(f.ts / 600_000) * 600_000)]
        .sort(([a], [b]) => (a as number) - (b as number))
        .map(([t, n]) => ({ t: fmt(t as number), n })),
  },
  {
    name: 'datefloor to the hour',
    query: 'fields datefloor(@timestamp, 1h) as hour | stats count(*) as n by hour | sort hour asc',
    columns: ['hour', 'n'],
    rows: () =>
      [...countBy(facts, (f) => Math.floor(f.ts / 3_600_000) * 3_600_000)]
        .sort(([a], [b]) => (a as number) - (b as number))
        .map(([h, n]) => ({ hour: fmt(h as number), n })),
  },
  {
    name: 'toMillis and fromMillis',
    query: 'fields toMillis(@timestamp) as ms, fromMillis(toMillis(@timestamp) + 1000) as later, @ingestionTime | limit 3',
    columns: ['ms', 'later', '@ingestionTime'],
    rows: () => facts.slice(0, 3).map((f) => ({ ms: f.ts, later: fmt(f.ts + 1000), '@ingestionTime': fmt(f.ts + 500) })),
  },
  {
    name: 'count(*) and count(field)',
    query: 'stats count(*) as all, count(user) as withUser',
    columns: ['all', 'withUser'],
    rows: () => [{ all: 200, withUser: json.filter((f) => f.user !== undefined).length }],
  },
  {
    name: 'sum, avg, min, max by service (absent service is its own group)',
    query: 'stats sum(latencyMs) as s, avg(latencyMs) as a, min(latencyMs) as lo, max(latencyMs) as hi by service',
    columns: ['service', 's', 'a', 'lo', 'hi'],
    rows: () => {
      const order = [...new Set(facts.map((f) => (f.kind === 'json' ? f.service : null)))];
      return order.map((service) => {
        const xs = json.filter((f) => f.service === service).map((f) => f.latency);
        if (xs.length === 0) return { service, s: null, a: null, lo: null, hi: null };
        return { service, s: sum(xs), a: sum(xs) / xs.length, lo: Math.min(...xs), hi: Math.max(...xs) };
      });
    },
  },
  {
    name: 'pct and percentile, nearest rank',
    query: 'stats pct(latencyMs, 99) as p99, percentile(latencyMs, 50) as p50, pct(latencyMs, 0) as p0, pct(latencyMs, 100) as p100',
    columns: ['p99', 'p50', 'p0', 'p100'],
    rows: () => {
      const xs = json.map((f) => f.latency);
      return [{ p99: nearestRank(xs, 99), p50: nearestRank(xs, 50), p0: nearestRank(xs, 0), p100: nearestRank(xs, 100) }];
    },
  },
  {
    name: 'count_distinct by service',
    query: 'filter ispresent(service) | stats count_distinct(user) as users by service',
    columns: ['service', 'users'],
    rows: () => SERVICES.map((service) => ({ service, users: new Set(json.filter((f) => f.service === service && f.user !== undefined).map((f) => f.user)).size })),
  },
  {
    name: 'earliest and latest by service',
    query: 'filter ispresent(service) | stats earliest(http.status) as first, latest(http.status) as last by service',
    columns: ['service', 'first', 'last'],
    rows: () =>
      SERVICES.map((service) => {
        const byTime = json.filter((f) => f.service === service).sort((a, b) => a.ts - b.ts);
        return { service, first: byTime[0]?.status ?? null, last: byTime[byTime.length - 1]?.status ?? null };
      }),
  },
  {
    name: 'arithmetic over aggregates',
    query: 'stats sum(latencyMs) / count(latencyMs) as mean, max(latencyMs) - min(latencyMs) as spread',
    columns: ['mean', 'spread'],
    rows: () => {
      const xs = json.map((f) => f.latency);
      return [{ mean: sum(xs) / xs.length, spread: Math.max(...xs) - Math.min(...xs) }];
    },
  },
  {
    name: 'sort on two keys, asc then desc',
    query: 'filter ispresent(latencyMs) | fields service, latencyMs | sort service asc, latencyMs desc | limit 15',
    columns: ['service', 'latencyMs'],
    rows: () =>
      [...json]
        .sort((a, b) => cmp(a.service, b.service) || b.latency - a.latency)
        .slice(0, 15)
        .map((f) => ({ service: f.service, latencyMs: f.latency })),
  },
  {
    name: 'sort without a direction is descending',
    query: 'filter ispresent(latencyMs) | fields latencyMs | sort latencyMs | limit 5',
    columns: ['latencyMs'],
    rows: () => json.map((f) => f.latency).sort((a, b) => b - a).slice(0, 5).map((latencyMs) => ({ latencyMs })),
  },
  {
    name: 'sort @timestamp desc, the usual recent-first query',
    query: 'fields @timestamp, @message | sort @timestamp desc | limit 4',
    columns: ['@timestamp', '@message'],
    rows: () => [...facts].sort((a, b) => b.ts - a.ts).slice(0, 4).map(defaultRow),
  },
  {
    name: 'limit alone keeps the first records',
    query: 'limit 7',
    columns: ['@timestamp', '@message'],
    rows: () => facts.slice(0, 7).map(defaultRow),
  },
  {
    name: 'parse with a glob; extracted values are text',
    query: 'parse @message "* * * * *ms user=*" as lvl, method, path, status, latency, who | filter ispresent(lvl) | fields lvl, method, path, status, latency, who | limit 6',
    columns: ['lvl', 'method', 'path', 'status', 'latency', 'who'],
    rows: () =>
      facts.filter((f) => f.kind === 'text').slice(0, 6).map((f) => ({
        lvl: f.level, method: f.method, path: f.path, status: String(f.status), latency: String(f.latency), who: f.user ?? 'none',
      })),
  },
  {
    name: 'parse with named groups after an unnamed one; an optional group that did not take part is empty',
    query: 'parse @message /^(?:INFO|WARN|ERROR|DEBUG) (GET|POST|PUT) (?<route>\\S+) (?<status>\\d+) \\d+ms user=(?<who>u\\d+)?/ | filter ispresent(route) | fields route, status, who | limit 8',
    columns: ['route', 'status', 'who'],
    rows: () => facts.filter((f) => f.kind === 'text').slice(0, 8).map((f) => ({ route: f.path, status: String(f.status), who: f.user ?? null })),
  },
  {
    name: 'parse with a named-group regex, then aggregate the numeric text',
    query: 'parse @message /[Tt]imeout after (?<ms>\\d+) ms/ | filter ispresent(ms) | stats sum(ms) as total, count(*) as n',
    columns: ['total', 'n'],
    rows: () => {
      const xs = facts.filter((f) => f.kind === 'timeout').map((f) => f.latency);
      return [{ total: sum(xs), n: xs.length }];
    },
  },
  {
    name: 'extracted numeric text compares as numbers',
    query: 'parse @message "* * * * *ms" as l, m, p, code, lat | filter code >= 404 and lat < 300 | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.kind === 'text' && f.status >= 404 && f.latency < 300).length }],
  },
  {
    name: 'dedup after sort keeps the first of each combination',
    query: 'filter ispresent(level) | fields service, level | sort @timestamp asc | dedup service, level',
    columns: ['service', 'level'],
    rows: () => {
      const seen = new Set<string>();
      return [...json]
        .sort((a, b) => a.ts - b.ts)
        .filter((f) => !seen.has(`${f.service}|${f.level}`) && seen.add(`${f.service}|${f.level}`) !== undefined)
        .map((f) => ({ service: f.service, level: f.level }));
    },
  },
  {
    name: 'dedup without sort orders by @timestamp desc and keeps rows with an absent value',
    query: 'dedup service',
    columns: ['@timestamp', '@message'],
    rows: () => {
      const seen = new Set<string>();
      return [...facts]
        .sort((a, b) => b.ts - a.ts)
        .filter((f) => f.kind !== 'json' || (!seen.has(f.service) && seen.add(f.service) !== undefined))
        .map(defaultRow);
    },
  },
  {
    name: 'display chooses the columns',
    query: 'filter ispresent(level) | fields @timestamp, level, http.status | display level, http.status | limit 3',
    columns: ['level', 'http.status'],
    rows: () => json.slice(0, 3).map((f) => ({ level: f.level, 'http.status': f.status })),
  },
  {
    name: 'backtick field names with special characters',
    query: 'filter ispresent(`weird-name`) | fields `weird-name` as w, `http`.status as s, tags.1 as t | limit 4',
    columns: ['w', 's', 't'],
    rows: () => json.slice(0, 4).map((f) => ({ w: `w${f.i % 4}`, s: f.status, t: `t${f.i % 3}` })),
  },
  {
    name: 'comments and keywords in any case',
    query: 'FILTER level = "WARN" # warnings only\n| Stats COUNT(*) AS n BY service',
    columns: ['service', 'n'],
    rows: () => [...countBy(json.filter((f) => f.level === 'WARN'), (f) => f.service)].map(([service, n]) => ({ service, n })),
  },
  {
    name: 'top 2 paths by count',
    query: 'filter ispresent(http.path) | stats count(*) as n by http.path | sort n desc | limit 2',
    columns: ['http.path', 'n'],
    rows: () => [...countBy(json, (f) => f.path)].map(([p, n]) => ({ 'http.path': p, n })).sort((a, b) => b.n - a.n).slice(0, 2),
  },
  {
    name: 'a second stats over the first one',
    query: 'filter ispresent(level) | stats count(*) as n by service, level | stats max(n) as top, sum(n) as total by service',
    columns: ['service', 'top', 'total'],
    rows: () =>
      SERVICES.map((service) => {
        const counts = [...countBy(json.filter((f) => f.service === service), (f) => f.level).values()];
        return { service, top: Math.max(...counts), total: sum(counts) };
      }),
  },
  {
    name: 'structured attributes are fields',
    query: 'filter region = "eu-west-1" | stats sum(retries) as r, count(*) as n',
    columns: ['r', 'n'],
    rows: () => {
      const eu = facts.filter((f) => f.attrs?.region === 'eu-west-1');
      return [{ r: sum(eu.map((f) => f.attrs?.retries ?? 0)), n: eu.length }];
    },
  },
  {
    name: '=~ with a string pattern',
    query: 'filter @message =~ "^(INFO|WARN) " | stats count(*) as n',
    columns: ['n'],
    rows: () => [{ n: facts.filter((f) => f.kind === 'text' && (f.level === 'INFO' || f.level === 'WARN')).length }],
  },
];

describe('executeQuery against independently computed results', () => {
  it('has at least 40 distinct queries', () => {
    expect(new Set(cases.map((c) => c.query)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name', async ({ query, columns, rows }) => {
    // GIVEN the fixture WHEN the query runs THEN columns and rows are exactly the expected ones
    const result = await executeQuery(query, records);
    expect(result.columns).toEqual(columns);
    expect(result.rows).toEqual(rows());
  });

  it('computes the sample standard deviation', async () => {
    // GIVEN the latencies of the JSON records WHEN stddev runs THEN it is the (n - 1) deviation
    const xs = json.map((f) => f.latency);
    const mean = sum(xs) / xs.length;
    const expected = Math.sqrt(sum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1));
    const result = await executeQuery('stats stddev(latencyMs) as sd', records);
    expect(result.rows[0]?.sd).toBeCloseTo(expected, 9);
  });
});

describe('executeQuery statistics, limits and sources', () => {
  it('counts records scanned, matched and bytes', async () => {
    // GIVEN a filter WHEN it runs over every record THEN the counters say so
    const result = await executeQuery('filter level = "ERROR" | stats count(*) as n', records);
    const bytes = sum(facts.map((f) => new TextEncoder().encode(f.message).length));
    expect(result.statistics).toEqual({ recordsScanned: 200, recordsMatched: json.filter((f) => f.level === 'ERROR').length, bytesScanned: bytes });
  });

  it('stops reading at the limit when nothing buffers', async () => {
    // GIVEN limit 3 without sort WHEN run THEN only the records needed were read
    const result = await executeQuery('filter ispresent(level) | limit 3', records);
    const third = facts.indexOf(json[2] as Fact);
    expect(result.rows).toEqual(json.slice(0, 3).map(defaultRow));
    expect(result.statistics.recordsScanned).toBe(third + 1);
  });

  it('caps a query without limit at defaultLimit rows (1000 unless given)', async () => {
    // GIVEN no limit WHEN defaultLimit is 5 THEN five rows come back
    const result = await executeQuery('fields @timestamp', records, { defaultLimit: 5 });
    expect(result.rows).toEqual(facts.slice(0, 5).map((f) => ({ '@timestamp': fmt(f.ts) })));
    const many = Array.from({ length: 1500 }, (_, i) => ({ timestampMs: i, message: `m${i}`, logStream: 's', log: 'g' }));
    expect((await executeQuery('fields @message', many)).rows).toHaveLength(1000);
    expect((await executeQuery('fields @message | limit 1200', many)).rows).toHaveLength(1200);
  });

  it('reads async iterables and renders timestamps as epoch ms when asked', async () => {
    // GIVEN an async source WHEN timestampFormat is epochMs THEN cells are numbers
    async function* source(): AsyncGenerator<LogRecord> {
      for (const r of records.slice(0, 4)) yield r;
    }
    const result = await executeQuery('fields @timestamp | sort @timestamp asc', source(), { timestampFormat: 'epochMs' });
    expect(result.rows).toEqual(facts.slice(0, 4).map((f) => f.ts).sort((a, b) => a - b).map((ts) => ({ '@timestamp': ts })));
  });

  it('skips records outside the time range of a plan, both ends inclusive', async () => {
    // GIVEN a plan for a window WHEN executed THEN only records inside count
    const sorted = [...facts].sort((a, b) => a.ts - b.ts);
    const startMs = (sorted[10] as Fact).ts;
    const endMs = (sorted[19] as Fact).ts;
    const result = await executeQuery(planQuery('stats count(*) as n', { startMs, endMs }), records);
    expect(result.rows).toEqual([{ n: 10 }]);
    expect(result.statistics.recordsScanned).toBe(200);
  });

  it('closes an async source early when the limit is reached', async () => {
    // GIVEN an endless generator WHEN limit 2 THEN the query ends and the generator is closed
    let closed = false;
    async function* endless(): AsyncGenerator<LogRecord> {
      try {
        for (let i = 0; ; i++) yield { timestampMs: i, message: `m${i}`, logStream: 's', log: 'g' };
      } finally {
        closed = true;
      }
    }
    const result = await executeQuery('fields @message | limit 2', endless());
    expect(result.rows).toEqual([{ '@message': 'm0' }, { '@message': 'm1' }]);
    expect(closed).toBe(true);
  });
});

describe('names that are Object.prototype members', () => {
  it('treats __proto__ and constructor as ordinary field names', async () => {
    // GIVEN a record whose attributes and columns use prototype names WHEN queried THEN they are plain fields
    const r: LogRecord = { timestampMs: 0, message: '{"constructor": 3}', logStream: 's', log: 'g', fields: { other: 1 } };
    const result = await executeQuery('fields constructor, toString, `__proto__`, 1 as __proto__x, 2 as `__proto__`', [r]);
    expect(result.columns).toEqual(['constructor', 'toString', '__proto__', '__proto__x']);
    expect(JSON.parse(JSON.stringify(result.rows))).toEqual([{ constructor: 3, toString: null, __proto__x: 1, ['__proto__']: 2 }]);
    expect(Object.getPrototypeOf(result.rows[0])).toBe(Object.prototype);
  });
});
