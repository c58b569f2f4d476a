import type { TemplateJson } from './read-assembly.js';

type Resources = NonNullable<TemplateJson['Resources']>;

/**
 * The logical ids a template value refers to: `Ref`, `Fn::GetAtt` (list or `Id.Attr` form) and the
 * `${Id}` / `${Id.Attr}` variables of `Fn::Sub`. Pseudo parameters (`AWS::…`) are left out.
 */
export function referencedIds(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof v === 'string') add(v, out);
      else if (key === 'Fn::GetAtt') add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!, out);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') for (const m of text.matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)) add(m[1]!, out);
        if (Array.isArray(v)) referencedIds(v[1], out);
      } else referencedIds(v, out);
    }
  }
  return out;
}

function add(id: string, out: Set<string>): void {
  if (!id.startsWith('AWS::')) out.add(id);
}

/** What a resource needs first: the resources its properties refer to and its `DependsOn`. */
function dependenciesOf(resource: Resources[string]): string[] {
  const dependsOn = resource.DependsOn;
  const explicit = typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn.map(String) : [];
  return [...new Set([...referencedIds(resource.Properties), ...explicit])].sort();
}

/**
 * `ids` in the order CloudFormation can apply them: every resource after the resources of the same
 * template it depends on, directly or through others; ties by logical id. Ids not in the template
 * (removed resources ordered against the new template) keep their place by id.
 */
export function applyOrder(resources: Resources, ids: readonly string[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const resource = resources[id];
    if (resource !== undefined) for (const dep of dependenciesOf(resource)) visit(dep);
    order.push(id);
  };
  for (const id of [...ids].sort()) visit(id);
  const wanted = new Set(ids);
  return order.filter((id) => wanted.has(id));
}
