import fs from 'node:fs';
import path from 'node:path';

/**
 * Copies packages and everything they depend on (dependencies and optional dependencies, found
 * the way Node finds them: the package's own `node_modules`, then each one above) from a hoisted
 * `node_modules` into `toDir`, links dereferenced: what `npm install --omit=dev` of those packages
 * would leave, made from what is installed here, so an image build needs no registry. Returns the
 * top-level packages copied.
 */
export function copyDependencyClosure(names: readonly string[], nodeModules: string, toDir: string): string[] {
  const from = fs.realpathSync(nodeModules);
  const project = path.dirname(from);
  const resolve = (name: string, pkgDir: string): string | undefined => {
    for (let d = pkgDir; d.startsWith(project); d = path.dirname(d)) {
      const candidate = path.join(d, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (d === project) break;
    }
    return undefined;
  };
  const copied: string[] = [];
  const seen = new Set<string>();
  const queue = names.map((name) => ({ name, at: project }));
  while (queue.length > 0) {
    const { name, at } = queue.shift()!;
    const dir = resolve(name, at);
    if (dir === undefined || seen.has(dir)) continue;
    seen.add(dir);
    // A top-level package is copied whole, with any nested node_modules of its own.
    if (dir === path.join(from, name)) {
      fs.cpSync(dir, path.join(toDir, name), { recursive: true, dereference: true });
      copied.push(name);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push({ name: dep, at: dir });
  }
  return copied.sort();
}
