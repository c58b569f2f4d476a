import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** `slipway up` began serving (subject `controlplane`). */
export const CONTROLPLANE_STARTED = 'controlplane.started';
/** `slipway up` stopped. */
export const CONTROLPLANE_STOPPED = 'controlplane.stopped';
/** The control plane started a router process (subject `router`). */
export const ROUTER_STARTED = 'router.started';
/** The control plane took over a router left running. */
export const ROUTER_ADOPTED = 'router.adopted';
/** A step of the supervisor's loop failed; the loop goes on. */
export const RUNTIME_STEP_FAILED = 'runtime.step.failed';

const router = { pid: z.number().int(), adminUrl: z.string() };

/** The events of the control plane itself, its router and its supervisor loop. */
export const controlPlaneEvents = {
  [CONTROLPLANE_STARTED]: eventSpec('The control plane is up and serves its API at `url`.', z.object({ pid: z.number().int(), url: z.string() })),
  [CONTROLPLANE_STOPPED]: eventSpec('The control plane shut down; services and the router keep running.', z.object({ pid: z.number().int() })),
  [ROUTER_STARTED]: eventSpec('The control plane spawned the router process.', z.object(router)),
  [ROUTER_ADOPTED]: eventSpec('The control plane found the router still running and took it over.', z.object(router)),
  [RUNTIME_STEP_FAILED]: eventSpec('A step of the supervisor\'s loop threw (subject the task, or `runtime/supervisor`); reported, not fatal.', z.object({ step: z.string(), error: z.string() })),
} as const;
