/** The engine-local name of a service's image at a revision: `localhost/slipway/<app>/<service>:<revision>`. */
export function localImageName(app: string, service: string, revision: string): string {
  return `localhost/slipway/${app}/${service}:${revision}`;
}
