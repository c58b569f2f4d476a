import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** The 1-based line of a value in a YAML document; for a map key, the key's line. */
export function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[], asKey = false): number {
  let node: unknown = doc.contents;
  let best = 1;
  const at = (n: unknown): void => {
    const range = (n as Node | null)?.range;
    if (range) best = lines.linePos(range[0]).line;
  };
  at(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) return best;
      if (last && asKey) {
        at(pair.key);
        return best;
      }
      at(pair.key);
      node = pair.value;
      if (node !== null) at(node);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) return best;
      at(node);
    } else {
      return best;
    }
  }
  return best;
}
