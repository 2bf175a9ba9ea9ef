// A link to a part of a page (/grids#grid-review, /grids/:code#grid-staff): the router does not scroll to
// the hash itself, and the part appears only once its data has loaded, so the page scrolls when it is there —
// and keeps it there while what lies above it (a map, a table) is still loading and pushes it down, until the
// user scrolls, taps or types themselves (or a few seconds have passed).
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

const SETTLE_MS = 4000;

/** Scrolls the element with this id into view when the URL's hash names it and `ready` (its data loaded). */
export function useHashTarget(id: string, ready: boolean): void {
  const { hash, key } = useLocation();
  useEffect(() => {
    if (!ready || hash !== `#${id}`) return;
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
    const until = Date.now() + SETTLE_MS;
    const follow = new ResizeObserver(() => {
      if (Date.now() > until) { stop(); return; }
      if (Math.abs(el.getBoundingClientRect().top) > 2) el.scrollIntoView({ block: 'start' });
    });
    const userMoved = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
    const stop = () => { follow.disconnect(); for (const e of userMoved) window.removeEventListener(e, stop); };
    follow.observe(document.body);
    for (const e of userMoved) window.addEventListener(e, stop, { passive: true });
    const timer = window.setTimeout(stop, SETTLE_MS);
    return () => { window.clearTimeout(timer); stop(); };
  }, [id, ready, hash, key]);
}
