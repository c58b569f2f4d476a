// Node infrastructure shared by every context; no domain logic lives here.
export { systemClock, ManualClock, type Clock } from './clock.js';
export { createLogger, silentLogger, type Logger, type LogLevel, type LoggerOptions } from './logger.js';
export { openDatabase, openReadConnection, migrate, type Db, type Migration, type OpenDatabaseOptions } from './db/index.js';
export {
  EventLog,
  validatePayloadsByDefault,
  eventMigrations,
  matchesEventQuery,
  nextEvent,
  EVENT_TYPE_PATTERN,
  MAX_EVENT_PAGE,
  type EventListener,
  type EventLogOptions,
  type SlipwayEvent,
  type NewEvent,
  type NewCataloguedEvent,
  type NewCustomEvent,
  type EventQuery,
} from './events/index.js';
export { spawnProcess, exec, isAlive, signalProcessGroup, type SpawnOptions, type ExecOptions, type ExecResult } from './exec/index.js';
export {
  DEFAULT_DATA_DIR,
  resolveDataDir,
  ensureDataDir,
  secretsEqual,
  writeFileAtomic,
  type DataDir,
  type DataDirCheck,
} from './data-dir.js';
export { readOrCreateSecret, formatMode, type SecretFileOptions } from './secret-file.js';
export { loadAppConfig, readAppDefinition, readConfigFile, readDefinitionAt, CONFIG_FILE_NAMES, type LoadAppConfigOptions, type LoadedAppConfig, type DefinitionAtOptions } from './config/index.js';
export { allocatePort } from './allocate-port.js';
export { SerialQueue } from './serial-queue.js';
export { ROUTE_AUTHS, isRouteAuth, type RouteAuth } from './route-auth.js';
