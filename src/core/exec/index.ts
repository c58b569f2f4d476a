export { spawnProcess, exec, type SpawnOptions, type ExecOptions, type ExecResult } from './spawn.js';
export { isAlive, signalProcessGroup } from './signals.js';
