// Free text that the console shows in many places: no control characters, nothing that looks like markup.
// Every module's request schemas use these, so the rule is written once.
import { z } from 'zod';

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Control characters other than tab, line feed and carriage return. */
const PROSE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const MARKUP = /<\s*[a-z!/?]/i;

/** A name or other one-line text: 1 to `max` characters after trimming. */
export const line = (max: number) => z.string().trim().min(1).max(max)
  .refine((s) => !CONTROL.test(s), 'control characters are not allowed')
  .refine((s) => !MARKUP.test(s), 'markup is not allowed');

/** A search term: 1 to `max` characters, no control characters (markup is harmless in a search). */
export const searchTerm = (max = 100) => z.string().trim().min(1).max(max).refine((s) => !CONTROL.test(s), 'control characters are not allowed');

/** Longer text: line breaks are fine, other control characters and markup are not; at least `min` characters. */
export const prose = (max: number, min = 0) => z.string().trim().min(min).max(max)
  .refine((s) => !PROSE_CONTROL.test(s), 'control characters are not allowed')
  .refine((s) => !MARKUP.test(s), 'markup is not allowed');
