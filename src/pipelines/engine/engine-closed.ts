/** Thrown by writes of an engine that was closed: its in-flight work is abandoned, as in a crash, for the next engine to resume. */
export class EngineClosedError extends Error {
  constructor() {
    super('the pipeline engine is closed');
  }
}
