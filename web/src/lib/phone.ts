// One caller, one number: what the operator types (139-1234-5678, 139 1234 5678, +86 139…) as the
// server stores and searches it. Same rule as src/platform/text.ts normalizePhone.
export function normalizePhone(phone: string): string {
  const p = phone.normalize('NFKC').replace(/[\s\-.()（）]/g, '');
  const m = /^(?:\+86|0086|86)(1\d{10})$/.exec(p);
  return m ? m[1]! : p;
}

/** Whether a search text is a phone number (digits with spaces or dashes), not a case number or words. */
export const looksLikePhone = (s: string) => /^\+?\d[\d\s-]{6,23}$/.test(s.trim());

/**
 * Whether a form's phone field holds a number the server takes: 5–20 digits, spaces or dashes between them, an
 * optional leading +. Blank spaces alone are not a number: the form would otherwise drop them and file the ticket
 * with no number to call back.
 */
export function isPhone(s: string): boolean {
  const digits = s.replace(/\D/g, '').length;
  return /^\+?[\d\s-]+$/.test(s.trim()) && digits >= 5 && digits <= 20;
}
