import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { initRepository, type InitPlan } from '../../init/index.js';
import { println } from '../output.js';

/** `slipway init [dir] [--yes] [--force]`: adopt slipway in an existing repository. */
export function initCommand(program: Command): void {
  program
    .command('init')
    .description('adopt slipway in an existing repository: detect its services, write slipway.config.ts and buildspec.yml')
    .argument('[dir]', 'the repository', '.')
    .option('-y, --yes', 'write without asking')
    .option('--force', 'overwrite an existing slipway.config.ts or buildspec.yml')
    .action(async (dir: string, opts: { yes?: boolean; force?: boolean }) => {
      // Prompts only on a terminal: in a script (no TTY) init answers yes, as --yes does.
      const interactive = !opts.yes && process.stdin.isTTY === true && process.stdout.isTTY === true;
      const result = await initRepository({
        dir,
        force: opts.force === true,
        confirm: async (plan) => {
          printPlan(plan, path.resolve(dir));
          return interactive ? ask(`write ${plan.files.map((f) => f.path).join(', ')}? [Y/n] `) : true;
        },
      });
      if (!result.written) {
        println('nothing written');
        return;
      }
      for (const f of result.files) println(`${f.action === 'append' ? 'added .slipway/ to' : f.action === 'overwrite' ? 'overwrote' : 'wrote'} ${f.path}`);
      println('');
      println('next:');
      println('  slipway validate          check the definition');
      println('  slipway up                run it here: both environments, the router, the dashboard');
      println(`  git commit; the pipeline runs each new commit on ${result.branch} through staging to production`);
    });
}

function printPlan(plan: InitPlan, root: string): void {
  const { detection } = plan;
  println(`found ${detection.services.length} service${detection.services.length === 1 ? '' : 's'} in ${root}:`);
  for (const s of detection.services) {
    const port = s.fixedPort !== undefined ? `listens on ${s.fixedPort} (fixed)` : 'reads PORT';
    println(`  ${s.name.padEnd(14)} ${s.path.padEnd(18)} ${s.start}   [${port}, health ${s.healthPath ?? '/'}]`);
    for (const f of s.found) println(`      found    ${f}`);
    for (const g of s.guessed) println(`      guessed  ${g}`);
  }
  const problems = [
    ...detection.services.filter((s) => s.fixedPort !== undefined).map((s) => `${s.name}: listens on fixed port ${s.fixedPort}; slipway gives every task its own port in PORT — make it listen on process.env.PORT (falling back to ${s.fixedPort}), or its second task and its other environment cannot start`),
    ...detection.external.map((e) => `${e.name} (image ${e.image}): an image-only service slipway does not run as a local process; run it yourself and point ${e.referencedBy.length > 0 ? e.referencedBy.join(', ') : 'the services that use it'} at it (services.<name>.env in slipway.config.ts)`),
  ];
  if (problems.length > 0) {
    println('cannot run locally as found:');
    for (const p of problems) println(`  ${p}`);
  }
  if (detection.skipped.length > 0) {
    println('left out:');
    for (const s of detection.skipped) println(`  ${s}`);
  }
  println(`app "${plan.appName}": staging (:8081, all at once) and production (:8080, canary 10→50→100 %, rolled back by ${Object.keys(plan.app.alarms).join(', ')}); pipeline on ${plan.branch}`);
}

async function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === '' || answer === 'y' || answer === 'yes';
  } finally {
    rl.close();
  }
}
