// Helpers shared by the catalog's tests (not part of the package's build).
import { z } from 'zod';

export function clone<T>(value: T): Record<string, unknown> {
  return structuredClone(value) as Record<string, unknown>;
}

/** Paths of object properties that lack a description in the JSON Schema of `schema`. */
export function undescribed(schema: z.ZodType): string[] {
  const missing: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    const props = n.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [key, prop] of Object.entries(props ?? {})) {
      if (typeof prop.description !== 'string' || prop.description === '') missing.push(`${path}.${key}`);
      visit(prop, `${path}.${key}`);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      (n[key] as unknown[] | undefined)?.forEach((sub, i) => visit(sub, `${path}|${key}${i}`));
    }
    if (n.items) visit(n.items, `${path}[]`);
    if (typeof n.additionalProperties === 'object') visit(n.additionalProperties, `${path}{}`);
  };
  visit(z.toJSONSchema(schema), 'data');
  return missing;
}
