// Architecture as lint rules (DESIGN.md "Modules"): each message says what to do instead.
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const WEB = path.resolve(import.meta.dirname, '../../web');
const SHARED = path.join(SRC, 'shared');

/** Whether `file` is `dir` or inside it. */
function inside(dir, file) {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The bounded context a file belongs to: the first folder under src/, or undefined outside src/. */
function contextOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first] = rel.split(path.sep);
  return first && first.endsWith('.ts') ? '' : first;
}

/** @type {import('eslint').Rule.RuleModule} */
const contexts = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const from = contextOf(file);
    const web = inside(WEB, file) && !inside(path.join(WEB, 'vite.config.ts'), file);
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (web) {
        checkWeb(node, source);
        return;
      }
      if (source === 'child_process' || source === 'node:child_process') {
        const rel = path.relative(SRC, file).split(path.sep).join('/');
        if (from !== undefined && !rel.startsWith('core/exec')) {
          context.report({ node, message: 'Spawn processes only through core/exec (import { exec, spawnProcess } from core/index.js).' });
        }
        return;
      }
      if (from === 'shared' && (source.startsWith('node:') || ['fs', 'path', 'os', 'http', 'crypto'].includes(source))) {
        context.report({ node, message: 'src/shared is isomorphic: it must not import Node built-ins (the dashboard imports it).' });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const to = contextOf(target);
      if (to === undefined || from === undefined || to === from || to === '') return;
      if (to === 'cli') {
        context.report({ node, message: 'Nothing imports src/cli: it is the outermost layer.' });
        return;
      }
      if (from === 'shared') {
        context.report({ node, message: `src/shared imports no other context (found '${source}').` });
        return;
      }
      const rel = path.relative(path.join(SRC, to), target).split(path.sep).join('/');
      if (rel !== 'index.js' && rel !== 'index.ts') {
        context.report({ node, message: `Import another context only through its index.ts: use '${path.relative(path.dirname(file), path.join(SRC, to, 'index.js')).split(path.sep).join('/')}' instead of '${source}'.` });
      }
    }
    // The dashboard runs in the browser and shares only src/shared with the server (DESIGN.md "Modules").
    function checkWeb(node, source) {
      if (source.startsWith('node:') || ['fs', 'path', 'os', 'http', 'crypto', 'child_process'].includes(source)) {
        context.report({ node, message: `web/ runs in the browser: it must not import Node built-ins (found '${source}').` });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      if (inside(WEB, target) || inside(SHARED, target)) return;
      context.report({ node, message: `web/ imports only src/shared from the server code (found '${source}'): move what the dashboard needs into src/shared (API types in src/shared/api).` });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export const boundaries = { rules: { contexts } };
