// Saving a form: the steps every form dialog of the console takes, and how an API error is shown.
import { useRef, useState } from 'react';
import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.ts';

/** `field`: the field's name in the request's language (the API sends it; older answers may lack it) */
type FieldError = { path: string; message: string; field?: string };
const fieldErrors = (e: ApiError) => ((e.extra as { errors?: FieldError[] }).errors ?? []);

/** Puts problem+json `errors[{path: 'body.x'}]` on the form's fields; true when any field took one. */
export function applyFieldErrors(form: FormInstance, e: ApiError, names?: string[]): boolean {
  const known = new Set(names ?? Object.keys(form.getFieldsValue()));
  const byField = new Map<string, string[]>();
  for (const err of fieldErrors(e)) {
    const parts = err.path.replace(/^body\./, '').split('.');
    // nested fields ('fields.releasedOn') when the form has them, else the top-level field
    const name = known.has(parts.slice(0, 2).join('.')) ? parts.slice(0, 2).join('.') : parts[0];
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), err.message]);
  }
  if (!byField.size) return false;
  form.setFields([...byField].map(([name, msgs]) => ({ name: name.split('.'), errors: msgs })));
  return true;
}

/** An error as one line: the API's message (which names the first invalid field) and up to four more fields. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return String((e as Error)?.message ?? e);
  // never the raw path (`body.title`): the field's own name when the API gave it, else the message alone
  return [e.message, ...fieldErrors(e).slice(1, 5).map((x) => (x.field ? `${x.field}：${x.message}` : x.message))].join(' · ');
}

export interface FormSubmitOptions {
  /** the form fields the API's field errors may land on (default: every field the form has) */
  fields?: string[];
  /** shown above the form when the API's errors went next to their fields */
  fixMessage?: string;
  /** a message of the page's own for some errors (e.g. by problem code); null: the usual text */
  describe?(e: unknown): string | null;
}

/**
 * The save of a form: validates it (the form shows its own messages), runs `submit` with the values while
 * `busy`, and on failure puts the API's field errors next to their fields, anything else in `error`. A second
 * click while a save runs (a double click on 保存) does nothing: one save at a time.
 */
export function useFormSubmit<V>(form: FormInstance, submit: (values: V) => Promise<void>, opts: FormSubmitOptions = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const save = async () => {
    if (running.current) return;
    running.current = true;
    let values: V;
    try { values = await form.validateFields(); } catch { running.current = false; return; }
    setBusy(true);
    setError(null);
    try {
      await submit(values);
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e, opts.fields)) { if (opts.fixMessage) setError(opts.fixMessage); return; }
      setError(opts.describe?.(e) ?? errorText(e));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, setError, save };
}
