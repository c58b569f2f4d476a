export { openDatabase, type Db, type OpenDatabaseOptions } from './open-database.js';
export { migrate, type Migration } from './migrate.js';
export { openReadConnection } from './open-read-connection.js';
