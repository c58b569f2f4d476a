import { useEffect, useState } from 'react';
import { api, qs } from './api.js';
import type { EnvironmentsDto, MetricQueryResultDto } from '../../../src/shared/index.js';

/** The environment a view opens on: production, else the last one listed. */
export function firstEnvironment(envs: EnvironmentsDto | undefined): EnvironmentsDto['environments'][number] | undefined {
  const list = envs?.environments ?? [];
  return list.find((e) => e.name === 'production') ?? list.at(-1);
}

/**
 * The service of `environment` with the most requests in the range (the router's RequestCount), so
 * the view opens on charts with data; undefined until known, or when nothing had traffic.
 */
export function useBusiestService(environment: EnvironmentsDto['environments'][number] | undefined, since: string): string | undefined {
  const [busiest, setBusiest] = useState<string | undefined>();
  const key = environment === undefined ? '' : `${environment.name}:${environment.services.map((s) => s.name).join(',')}`;
  useEffect(() => {
    if (environment === undefined || environment.services.length < 2) return;
    let cancelled = false;
    const total = (r: MetricQueryResultDto) => r.values.reduce<number>((n, v) => n + (v ?? 0), 0);
    void Promise.all(
      environment.services.map((svc) =>
        api<MetricQueryResultDto>(`/api/v1/metrics/query${qs({ name: 'RequestCount', stat: 'Sum', period: '1m', since, 'dim.environment': environment.name, 'dim.service': svc.name })}`).then(
          (r) => [svc.name, total(r)] as const,
          () => [svc.name, 0] as const,
        ),
      ),
    ).then((counts) => {
      if (cancelled) return;
      const top = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
      if (top[1] > 0) setBusiest(top[0]);
    });
    return () => {
      cancelled = true;
    };
    // `key` stands for the environment's name and services, so a refreshed list does not re-query.
  }, [key, since]);
  return busiest;
}
