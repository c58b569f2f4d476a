import net from 'node:net';

/**
 * Finds a free loopback TCP port: listens on port 0, reads the port the
 * kernel chose, closes. Ports in `exclude` (given to other tasks that may not
 * listen yet) are skipped.
 */
export async function allocatePort(exclude: ReadonlySet<number> = new Set(), attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        server.close(() => resolve(p));
      });
    });
    if (port > 0 && !exclude.has(port)) return port;
  }
  throw new Error(`no free loopback port found in ${attempts} attempts`);
}
