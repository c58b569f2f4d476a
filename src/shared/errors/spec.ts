/** One entry of the error-code catalog. */
export interface ErrorCodeSpec {
  /** The HTTP status the API answers with. */
  readonly status: number;
  /** A short generic message; specific errors add detail of their own. */
  readonly message: string;
}
