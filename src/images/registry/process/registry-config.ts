/** Options of {@link registryConfig}. */
export interface RegistryConfigOptions {
  /** Where layers and manifests are stored. */
  readonly storageDir: string;
  /** Loopback port the registry listens on. */
  readonly port: number;
}

/**
 * The distribution registry's configuration for a loopback registry slipway runs: filesystem
 * storage, deletes enabled (lifecycle policies expire manifests), no auth (127.0.0.1 only), quiet
 * logs. Written as JSON, which the registry's YAML parser reads as it is.
 */
export function registryConfig(o: RegistryConfigOptions): string {
  return `${JSON.stringify(
    {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true }, fields: { service: 'registry' } },
      storage: { filesystem: { rootdirectory: o.storageDir }, delete: { enabled: true }, cache: { blobdescriptor: 'inmemory' } },
      http: { addr: `127.0.0.1:${o.port}`, headers: { 'X-Content-Type-Options': ['nosniff'] } },
    },
    null,
    2,
  )}\n`;
}
