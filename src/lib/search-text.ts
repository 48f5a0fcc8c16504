/**
 * What the search box sends as `q`: a name as typed, or for digits the phone's last 4 (尾号);
 * fewer than 4 digits search nothing yet.
 */
export function searchQuery(text: string): string {
  const t = text.trim();
  if (/^\d+$/.test(t)) return t.length >= 4 ? t.slice(-4) : '';
  return t.slice(0, 20);
}

/** How long typing must pause before the list reloads. */
export const SEARCH_DEBOUNCE_MS = 350;
