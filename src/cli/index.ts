/** Entry of the `slipway` command; returns the exit code. */
export async function main(_argv: readonly string[]): Promise<number> {
  return 0;
}
