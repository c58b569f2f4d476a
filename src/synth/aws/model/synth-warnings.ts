/**
 * Collects what the model says that AWS cannot express one-to-one. Each warning names the model
 * path and the difference; the same text is kept once (services repeat in every environment).
 */
export class SynthWarnings {
  private readonly seen = new Set<string>();
  private readonly items: string[] = [];

  /** Records `<path>: <message>` once. */
  add(path: string, message: string): void {
    const text = `${path}: ${message}`;
    if (this.seen.has(text)) return;
    this.seen.add(text);
    this.items.push(text);
  }

  /** The warnings, in the order they were first recorded. */
  list(): readonly string[] {
    return [...this.items];
  }
}
