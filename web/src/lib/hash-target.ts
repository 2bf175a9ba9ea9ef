// A link to a part of a page (/grids#grid-review, /grids/:code#grid-staff): the router does not scroll to
// the hash itself, and the part appears only once its data has loaded, so the page scrolls when it is there —
// and keeps it there while what lies above it (a map, a table) is still loading and pushes it down, until the
// user scrolls, taps or types themselves (or a few seconds after it first reached the top; 20 s at most).
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

const SETTLE_MS = 4000;
/** However slow the page, the scroll is the user's again after this long. */
const GIVE_UP_MS = 20_000;

/** Scrolls the element with this id into view when the URL's hash names it and `ready` (its data loaded). */
export function useHashTarget(id: string, ready: boolean): void {
  const { hash, key } = useLocation();
  useEffect(() => {
    if (!ready || hash !== `#${id}`) return;
    const el = document.getElementById(id);
    if (!el) return;
    el.focus({ preventScroll: true });
    // at the top once (a page whose lower part is still loading is too short to scroll it there yet), then kept
    // there for a few seconds while what lies above settles
    let placed = false;
    const place = () => { el.scrollIntoView({ block: 'start' }); placed = Math.abs(el.getBoundingClientRect().top) <= 2; };
    place();
    const until = Date.now() + SETTLE_MS;
    const follow = new ResizeObserver(() => {
      if (placed && Date.now() > until) { stop(); return; }
      if (Math.abs(el.getBoundingClientRect().top) > 2) place(); else placed = true;
    });
    const userMoved = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
    const stop = () => { follow.disconnect(); for (const e of userMoved) window.removeEventListener(e, stop); };
    // the page's frame grows as what lies above loads; the body does not (html, body and #root are 100 % high and
    // the document scrolls past them), so a watch on the body never fired
    follow.observe(document.querySelector('#root > *') ?? document.body);
    for (const e of userMoved) window.addEventListener(e, stop, { passive: true });
    const timer = window.setTimeout(stop, GIVE_UP_MS);
    return () => { window.clearTimeout(timer); stop(); };
  }, [id, ready, hash, key]);
}
