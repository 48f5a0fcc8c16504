import { z } from 'zod';
import { fieldIssues } from '../field-issues';

const schema = z.strictObject({ name: z.string().min(1, 'must not be empty').max(5, 'too long'), inner: z.strictObject({ n: z.number() }) });
const issuesOf = (input: unknown, root?: string) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected issues');
  return fieldIssues(r.error, root);
};

describe('fieldIssues', () => {
  it('names each field by its dotted path, and the value itself by root', () => {
    expect(issuesOf({ name: 'x', inner: { n: 'one' } })).toEqual([{ field: 'inner.n', message: expect.any(String) }]);
    expect(issuesOf(null, '(params)')).toEqual([{ field: '(params)', message: expect.any(String) }]);
  });

  it('names every unknown key on its own', () => {
    expect(issuesOf({ name: 'x', inner: { n: 1, a: 1, b: 2 } }).map((i) => i.field)).toEqual(['inner.a', 'inner.b']);
  });

  it('reports a field of the wrong type once, though zod also measures its length', () => {
    expect(issuesOf({ name: ['a', 'b', 'c', 'd', 'e', 'f'], inner: { n: 1 } })).toEqual([{ field: 'name', message: expect.any(String) }]);
  });
});
