/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** slipway's own diagnostic logger (not the services' logs, which are telemetry). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines carry `component`. */
  child(component: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. @default 'info' */
  readonly level?: LogLevel;
  /** Where lines go. @default process.stderr */
  readonly write?: (line: string) => void;
  /** Component name on every line. */
  readonly component?: string;
}

/** Creates a logger writing one JSON object per line. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const make = (component: string | undefined): Logger => {
    const log = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      const entry = { time: new Date().toISOString(), level, ...(component ? { component } : {}), msg, ...fields };
      write(`${JSON.stringify(entry, errorReplacer)}\n`);
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (c) => make(component ? `${component}.${c}` : c),
    };
  };
  return make(options.component);
}

/** A logger that writes nothing (tests, quiet CLI verbs). */
export const silentLogger: Logger = createLogger({ level: 'silent' });

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
