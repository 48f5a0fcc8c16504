/**
 * How a failed zod check is reported, at every boundary and in `_core` alike: one issue per
 * field, its path joined with '.' (`engagement.groups.1.rules.0.dailyCap`), and one issue per
 * unknown key so each is named. `root` names the value itself when the whole of it is wrong.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../../types/api';

export function fieldIssues(error: z.ZodError, root = ''): FieldIssue[] {
  const at = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : root);
  // zod still runs length checks on a value of the wrong type (an array where a string goes):
  // a field whose type is wrong is reported once.
  const wrongType = new Set<string>();
  return error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') return i.keys.map((key) => ({ field: at([...i.path, key]), message: i.message }));
    const field = at(i.path);
    if (wrongType.has(field)) return [];
    if (i.code === 'invalid_type') wrongType.add(field);
    return [{ field, message: i.message }];
  });
}
