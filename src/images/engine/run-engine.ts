import { exec, type ExecResult } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import type { CompiledEngine } from './model.js';

/** Options of {@link runEngine}. */
export interface RunEngineOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** Kill the engine command after this long. @default 120000 */
  readonly timeoutMs?: number;
  /** Written to the command's stdin. */
  readonly input?: string;
}

/** Runs `<engine> <global args> <args>` to completion; never rejects for a non-zero exit. */
export function runEngine(engine: Pick<CompiledEngine, 'command' | 'globalArgs'>, args: readonly string[], options: RunEngineOptions = {}): Promise<ExecResult> {
  return exec(engine.command, [...engine.globalArgs, ...args], {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    timeoutMs: options.timeoutMs ?? 120_000,
  });
}

/** Like {@link runEngine}, but a non-zero exit throws `SLW_ERR_IMAGES_ENGINE_FAILED` with the command and its last error line. */
export async function mustRunEngine(engine: Pick<CompiledEngine, 'command' | 'globalArgs'>, args: readonly string[], options: RunEngineOptions = {}): Promise<ExecResult> {
  const result = await runEngine(engine, args, options);
  if (result.code !== 0) {
    throw new SlipwayError('SLW_ERR_IMAGES_ENGINE_FAILED', `${engine.command} ${args.slice(0, 3).join(' ')} failed (exit ${result.code ?? result.signal}): ${lastLine(result.stderr) || lastLine(result.stdout)}`);
  }
  return result;
}

/** The last non-empty line of a command's output, trimmed. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? '';
}
