// Entry point of the router process: `node dist/src/router/main.js --state-dir <dir> --admin-port <n> --token-file <f>`.
import { createLogger } from '../core/index.js';
import { runRouterProcess } from './run-router-process.js';

runRouterProcess(process.argv.slice(2)).catch((err: unknown) => {
  createLogger({ component: 'router' }).error('router failed to start', { err });
  process.exit(1);
});
