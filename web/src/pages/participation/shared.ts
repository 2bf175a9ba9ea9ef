// Helpers of the participation pages: the module's refusals in the user's language, and running an action.
import { useRef, useState } from 'react';
import { App } from 'antd';
import { ApiError } from '../../api/client.ts';
import { hasKey, translate, useI18n, type Locale, type MessageKey } from '../../i18n/index.tsx';
import { errorText } from '../../lib/forms.ts';

/** A refusal as the user should read it: the module's own codes translated, others as the API words them. */
export function ptError(e: unknown, locale: Locale): string {
  if (e instanceof ApiError) {
    const key = `pt.err.${e.code}`;
    if (hasKey(key)) return translate(locale, key);
  }
  return errorText(e);
}

export interface Wish {
  id: number; title: string; description: string | null; category: string; state: string; wisher: string;
  claimant: { kind: string; name: string } | null; thanks: string | null; answer: string | null; hasPhoto: boolean;
  mine: boolean; claimedByMe: boolean; fulfilNote: string | null; hidden?: boolean; mergedInto?: number; regionCode: string; communityCode: string;
}

export interface Vote {
  id: number; title: string; description: string | null; choice: 'single' | 'multiple'; maxChoices: number; voterUnit: string; anonymous: boolean;
  closesAt: string; status: string; options: Array<{ id: number; label: string; tally?: number; share?: number }>;
  results: { ballots: number; eligible: number; quorum: number; quorumMet: boolean } | null; myBallot: { optionIds: number[] | null } | null;
  eligibility?: { canVote: boolean; reason: { code: string; zh: string; en: string } | null } | null;
  regionCode: string; mayManage?: boolean;
}

/**
 * Runs one action of a staff page: on success a message in the user's language and true; on a refusal the
 * module's words for it and false.
 */
export function useRun() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  return async (fn: () => Promise<unknown>, done: MessageKey): Promise<boolean> => {
    try { await fn(); message.success(t(done)); return true; } catch (e) { message.error(ptError(e, locale)); return false; }
  };
}

/** A fresh Idempotency-Key (getRandomValues works on plain http too, where randomUUID does not). */
export function freshKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `pt-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * One create form's submit: `pending` while it runs (the button shows it and takes no second click), and one
 * Idempotency-Key per record, so even a double click that gets through makes one record. The key is renewed
 * once the record is made.
 */
export function useSubmit() {
  const [pending, setPending] = useState(false);
  const busy = useRef(false);
  const key = useRef(freshKey());
  const submit = async (send: (headers: Record<string, string>) => Promise<boolean>): Promise<boolean> => {
    if (busy.current) return false;
    busy.current = true; setPending(true);
    try {
      const ok = await send({ 'idempotency-key': key.current });
      if (ok) key.current = freshKey();
      return ok;
    } finally { busy.current = false; setPending(false); }
  };
  return { pending, submit };
}
