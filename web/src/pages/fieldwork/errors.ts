// An API error of the field pages in the user's language: the known codes by their own message, no
// answer at all as 网络未连接, anything else as the API's text (lib/forms.ts errorText).
import { ApiError } from '../../api/client.ts';
import { hasKey, type MessageKey } from '../../i18n/index.tsx';
import { errorText } from '../../lib/forms.ts';
import { isNetworkError } from '../../lib/offline.ts';

export function fieldError(e: unknown, t: (k: MessageKey, vars?: Record<string, string | number>) => string): string {
  if (isNetworkError(e) || (e instanceof ApiError && e.code === 'network')) return t('fw.networkDown');
  if (e instanceof ApiError) {
    const key = `fw.err.${e.code}`;
    if (hasKey(key)) return t(key);
  }
  return errorText(e);
}
