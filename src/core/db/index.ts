export { openDatabase, type Db, type OpenDatabaseOptions } from './open-database.js';
export { migrate, type Migration } from './migrate.js';
