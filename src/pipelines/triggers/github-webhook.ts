import { ConflictError, InputError, NotAllowedError } from '../../shared/index.js';
import { refFormatProblem } from './ref-format.js';
import { verifyGithubSignature } from './webhook-signature.js';

/** A push as the pipeline needs it. */
export interface GithubPush {
  /** `refs/heads/<branch>` or `refs/tags/<tag>`, a name git accepts (see `refFormatProblem`). */
  readonly ref: string;
  /** The new head (all zeros for a deletion). */
  readonly after: string;
  /** The head before the push, when the payload gives one (all zeros for a new ref). */
  readonly before: string | undefined;
  /** The ref was deleted. */
  readonly deleted: boolean;
}

/** What {@link handleGithubWebhook} needs. */
export interface GithubWebhookDeps {
  /** The webhook secret; undefined when none is configured (every delivery is then refused). */
  secret(): Promise<string | undefined>;
  /** Records a delivery id; false when seen before. */
  recordDelivery(id: string, event: string): boolean;
  /** Forgets a delivery id whose handling failed, so GitHub's "Redeliver" (the same id) is handled. */
  forgetDelivery(id: string): void;
  /** Starts a run for a push, or says why not (`reason`: a PascalCase word for machines, `ignored`: the sentence). */
  onPush(push: GithubPush): Promise<{ readonly runId?: number; readonly ignored?: string; readonly reason?: string }>;
}

/** A webhook request with its raw body (the signature covers the exact bytes). */
export interface GithubWebhookRequest {
  readonly rawBody: Buffer;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const header = (h: GithubWebhookRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Handles one GitHub webhook delivery: the signature is checked first (nothing
 * else is looked at before it passes), then the headers and, for a push, the
 * payload (a ref git would refuse is a 400: it can be neither an option nor a
 * refspec to git), then the delivery id (a replay is a conflict), then the
 * event: `ping` answers, `push` may start a run, others are acknowledged and
 * ignored. JSON and form-encoded (`payload=`) bodies. The signature does not
 * cover `X-GitHub-Delivery`, so a new id on an old body is not refused here:
 * `onPush` refuses pushes that are not newer than what was built.
 * A delivery whose handling throws is forgotten again, so it can be redelivered.
 * @throws NotAllowedError 401 `SLW_ERR_WEBHOOK_SIGNATURE`, ConflictError `SLW_ERR_WEBHOOK_DUPLICATE`, InputError `SLW_ERR_WEBHOOK_INVALID`
 */
export async function handleGithubWebhook(deps: GithubWebhookDeps, req: GithubWebhookRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const secret = await deps.secret();
  if (secret === undefined || secret === '') throw new NotAllowedError('SLW_ERR_WEBHOOK_SIGNATURE', 'no webhook secret is configured; every delivery is refused');
  if (!verifyGithubSignature(secret, req.rawBody, header(req.headers, 'x-hub-signature-256'))) {
    throw new NotAllowedError('SLW_ERR_WEBHOOK_SIGNATURE', 'the X-Hub-Signature-256 header is missing or does not match the body');
  }
  const delivery = header(req.headers, 'x-github-delivery');
  const event = header(req.headers, 'x-github-event');
  if (!delivery || !/^[A-Za-z0-9-]{1,100}$/.test(delivery)) throw new InputError('SLW_ERR_WEBHOOK_INVALID', 'the X-GitHub-Delivery header is missing or invalid', { issues: [{ path: 'headers.x-github-delivery', message: 'required' }] });
  if (!event || !/^[a-z_]{1,50}$/.test(event)) throw new InputError('SLW_ERR_WEBHOOK_INVALID', 'the X-GitHub-Event header is missing or invalid', { issues: [{ path: 'headers.x-github-event', message: 'required' }] });
  const push = event === 'push' ? parsePush(parsePayload(req)) : undefined;
  if (!deps.recordDelivery(delivery, event)) throw new ConflictError('SLW_ERR_WEBHOOK_DUPLICATE', `delivery ${delivery} was already received`);
  if (event === 'ping') return { status: 200, body: { ok: true, event } };
  if (push === undefined) return { status: 202, body: { ignored: `event ${event} does not start runs` } };
  if (!/^refs\/(heads|tags)\/.+/.test(push.ref)) return { status: 202, body: { ignored: `ref ${push.ref} is neither a branch nor a tag` } };
  try {
    const result = await deps.onPush(push);
    return { status: 202, body: { ...result } };
  } catch (err) {
    deps.forgetDelivery(delivery);
    throw err;
  }
}

/** The push fields slipway acts on, validated; every other field of the payload is ignored. */
function parsePush(payload: Record<string, unknown>): GithubPush {
  const invalid = (field: string, message: string) => new InputError('SLW_ERR_WEBHOOK_INVALID', `payload.${field}: ${message}`, { issues: [{ path: `body.${field}`, message }] });
  if (typeof payload.ref !== 'string') throw invalid('ref', 'required, a full ref such as refs/heads/main');
  const problem = refFormatProblem(payload.ref);
  if (problem !== undefined) throw invalid('ref', `${JSON.stringify(payload.ref.slice(0, 200))} is not a ref name git accepts: it ${problem}`);
  const deleted = payload.deleted === true;
  const after = typeof payload.after === 'string' ? payload.after : '';
  if (!deleted && !SHA.test(after)) throw invalid('after', 'must be a commit sha');
  if (payload.before !== undefined && (typeof payload.before !== 'string' || !SHA.test(payload.before))) throw invalid('before', 'must be a commit sha');
  return { ref: payload.ref, after, before: payload.before, deleted };
}

function parsePayload(req: GithubWebhookRequest): Record<string, unknown> {
  const type = header(req.headers, 'content-type') ?? '';
  let text = req.rawBody.toString('utf8');
  if (type.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (cause) {
    throw new InputError('SLW_ERR_WEBHOOK_INVALID', `the payload is not a JSON object: ${(cause as Error).message}`, { cause });
  }
}
