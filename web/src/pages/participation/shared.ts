// Helpers of the participation pages: the module's refusals in the user's language, and running an action.
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
