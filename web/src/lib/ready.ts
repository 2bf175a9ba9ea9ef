// Marks the moment the first screen is usable (login form or the shell of a page), once per load,
// for bench/console-load.ts and anyone profiling in the browser's devtools.
let marked = false;
export function markAppReady(): void {
  if (marked) return;
  marked = true;
  try { performance.mark('gz-app-ready'); } catch { /* old browsers */ }
  document.documentElement.dataset.appReady = 'true';
}
