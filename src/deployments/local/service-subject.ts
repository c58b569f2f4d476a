/** The event subject of a service in an environment. */
export function serviceSubject(environment: string, service: string): string {
  return `service/${environment}/${service}`;
}
