// A half-typed form kept in this tab (sessionStorage) while the session ends mid-call, and restored after
// logging in again as the same user. It never leaves the browser: nothing is sent until the form is filed,
// and it goes with the tab, on filing, and on an explicit logout (clearDrafts).
const PREFIX = 'gz.draft.';

const keyOf = (form: string, userId: number) => `${PREFIX}${form}.${userId}`;

export function loadDraft<T extends Record<string, unknown>>(form: string, userId: number): T | null {
  try {
    const raw = sessionStorage.getItem(keyOf(form, userId));
    const v = raw ? JSON.parse(raw) : null;
    return v && typeof v === 'object' && Object.values(v).some((x) => x != null && x !== '') ? (v as T) : null;
  } catch { return null; }
}

export function saveDraft(form: string, userId: number, values: Record<string, unknown>): void {
  try { sessionStorage.setItem(keyOf(form, userId), JSON.stringify(values)); } catch { /* storage full or off: no draft */ }
}

export function clearDraft(form: string, userId: number): void {
  try { sessionStorage.removeItem(keyOf(form, userId)); } catch { /* nothing to clear */ }
}

/** On an explicit logout: the next person at this desk sees none of it. */
export function clearDrafts(): void {
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(PREFIX)) sessionStorage.removeItem(k);
  } catch { /* nothing to clear */ }
}
