/**
 * The first cycle of a directed graph, as a path that starts and ends at the same node (`['a', 'b', 'a']`;
 * `['a', 'a']` for a self-loop), or undefined. Nodes are tried in the order given and edges followed in the
 * order returned, so the answer is stable. Iterative, so long chains cannot overflow the stack.
 */
export function findCycle(nodes: readonly string[], edges: (node: string) => readonly string[]): string[] | undefined {
  const done = new Set<string>();
  for (const root of nodes) {
    if (done.has(root)) continue;
    // `path` is the current chain, `onPath` its members, `next[i]` the next edge of `path[i]` to follow.
    const path: string[] = [root];
    const onPath = new Set<string>([root]);
    const next: number[] = [0];
    const out = new Map<string, readonly string[]>([[root, edges(root)]]);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top] as string;
      const children = out.get(node) ?? [];
      const i = next[top] ?? 0;
      if (i >= children.length) {
        done.add(node);
        onPath.delete(node);
        out.delete(node);
        path.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const child = children[i] as string;
      if (onPath.has(child)) return [...path.slice(path.indexOf(child)), child];
      if (done.has(child)) continue;
      path.push(child);
      onPath.add(child);
      next.push(0);
      out.set(child, edges(child));
    }
  }
  return undefined;
}
