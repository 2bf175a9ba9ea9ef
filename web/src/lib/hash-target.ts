// A link to a part of a page (/grids#grid-review, /grids/:code#grid-staff): the router does not scroll to
// the hash itself, and the part appears only once its data has loaded, so the page scrolls when it is there.
import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';

/** Scrolls the element with this id into view when the URL's hash names it and `ready` (its data loaded). */
export function useHashTarget(id: string, ready: boolean): void {
  const { hash, key } = useLocation();
  useEffect(() => {
    if (!ready || hash !== `#${id}`) return;
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
  }, [id, ready, hash, key]);
}
