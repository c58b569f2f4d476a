import type { FlagDto } from '../../../src/shared/index.js';
import { showValue } from '../lib/flag-format.js';
import { ActionButton } from './action-button.js';

/** Who the dashboard records as acting: the name last given on an approval form, else `dashboard`. */
const flagActor = (): string => localStorage.getItem('slipway.approver') || 'dashboard';

/** Kill (disable: the default for everyone) or enable a flag through the flags API. */
export function ToggleButton({ environment, flag, onDone }: { environment: string; flag: FlagDto; onDone: () => void }) {
  const base = `/api/v1/flags/${encodeURIComponent(environment)}/${encodeURIComponent(flag.key)}`;
  return flag.enabled ? (
    <ActionButton label="Kill" variant="danger" path={`${base}/disable`} body={{ by: flagActor() }} confirm={`Kill ${flag.key} in ${environment}? Everyone gets its default (${showValue(flag.definition.default)}) at once.`} onDone={onDone} />
  ) : (
    <ActionButton label="Enable" variant="ok" path={`${base}/enable`} body={{ by: flagActor() }} onDone={onDone} />
  );
}
