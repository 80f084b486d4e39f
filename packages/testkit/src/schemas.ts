// What the services' schema tests share: a JSON Schema walk that finds the fields a generated document
// (OpenAPI, the docs) would show without a description.

/** Paths of the object properties without a description anywhere in a JSON Schema (e.g. `z.toJSONSchema(schema)`). */
export function undescribed(node: unknown, path = ''): string[] {
  if (typeof node !== 'object' || node === null) return [];
  const n = node as Record<string, unknown>;
  const missing: string[] = [];
  for (const [key, prop] of Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    if (typeof prop.description !== 'string' || prop.description === '') missing.push(`${path}.${key}`);
    missing.push(...undescribed(prop, `${path}.${key}`));
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
    const sub = n[key];
    for (const item of Array.isArray(sub) ? sub : sub ? [sub] : [])
      missing.push(...undescribed(item, `${path}[${key}]`));
  }
  return missing;
}
