import { activeTags, removeTag, setTag, tagAssignment } from '../assign';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');

describe('tag assignments', () => {
  it('stores the leaf with its ancestors, source, time and expiry', () => {
    expect(tagAssignment('behavior-focus-space', 'rule', NOW, NOW + 1000)).toEqual({
      tagId: 'behavior-focus-space',
      path: ['behavior', 'behavior-focus'],
      source: 'rule',
      assignedAt: NOW,
      expiresAt: NOW + 1000,
    });
    expect(tagAssignment('vehicle_pref-model-lanyue', 'oem', NOW)).toEqual({ tagId: 'vehicle_pref-model-lanyue', path: ['vehicle_pref', 'vehicle_pref-model'], source: 'oem', assignedAt: NOW });
  });

  it('refuses ids that are not leaves of the taxonomy', () => {
    expect(() => tagAssignment('behavior-focus', 'consultant', NOW)).toThrow(/not a leaf/);
    expect(() => tagAssignment('no-such-tag', 'consultant', NOW)).toThrow(/not a leaf/);
  });

  it('a person setting a leaf of an exclusive group replaces its siblings, whoever set them', () => {
    const tags = [tagAssignment('intent-level-low', 'rule', NOW), tagAssignment('behavior-focus-space', 'rule', NOW), tagAssignment('intent-level-medium', 'oem', NOW)];
    const next = setTag(tags, tagAssignment('intent-level-high', 'consultant', NOW));
    expect(next.map((t) => t.tagId)).toEqual(['behavior-focus-space', 'intent-level-high']);
    // Non-exclusive groups keep siblings: a customer can care about space and safety.
    const both = setTag(next, tagAssignment('behavior-focus-safety', 'consultant', NOW));
    expect(both.map((t) => t.tagId)).toContain('behavior-focus-space');
    expect(removeTag(both, 'behavior-focus-space').map((t) => t.tagId)).toEqual(['intent-level-high', 'behavior-focus-safety']);
  });

  it('lists only tags in force', () => {
    const tags = [tagAssignment('activity-level-high', 'rule', NOW - 10, NOW), tagAssignment('behavior-focus-space', 'rule', NOW, NOW + 1)];
    expect(activeTags(tags, NOW).map((t) => t.tagId)).toEqual(['behavior-focus-space']);
  });
});
