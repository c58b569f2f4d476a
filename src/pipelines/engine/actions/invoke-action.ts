import { abortedOutcome, type ActionExecutor } from './action-context.js';
import { runShellCommand } from './run-shell-command.js';

/**
 * An invoke action: `command` in the repository root (the folder of the app definition), as
 * {@link runShellCommand} runs it. Exit 0 succeeds.
 */
export const executeInvoke: ActionExecutor = async (ctx) => {
  const { code, signal, aborted } = await runShellCommand(ctx, String(ctx.action.configuration.command), ctx.services.repo.dir);
  if (aborted) return abortedOutcome(ctx.signal, ctx.timeoutMs);
  if (code === 0) return { status: 'Succeeded', output: { exitCode: 0 } };
  return { status: 'Failed', reason: signal ? `the command was killed by ${signal}` : `the command exited with status ${String(code)}`, output: { exitCode: code } };
};
