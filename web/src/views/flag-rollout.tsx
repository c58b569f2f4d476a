/**
 * Where a flag's rollout progress goes (a change stepped through the deployment engine: 5 → 25 →
 * 50 → 100 %, its bake times and alarms, pause, promote, abort). The rollouts work renders it here;
 * until then the flag page shows nothing in this place.
 */
export function FlagRolloutProgress(_props: { environment: string; flagKey: string }) {
  return null;
}
