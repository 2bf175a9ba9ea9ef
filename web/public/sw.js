// gongzhi's service worker: keeps the console's shell for offline use, and sends the outbox of reports
// and visits kept in IndexedDB (web/src/lib/offline.ts writes it; the schema must stay the same there)
// when a page says the connection is back. Each send carries the item's Idempotency-Key: when an answer
// is lost, the retry gets the first answer back, never a second case.
const SHELL = 'gongzhi-shell-v1';
const LOOKUPS = 'gongzhi-lookups-v1';
// what a form and the day plan need after an offline reload: reference data and the worker's own 今日
// (masked names only); network first, the last copy offline
const LOOKUP_PATHS = [/^\/api\/v1\/auth\/me$/, /^\/api\/v1\/categories/, /^\/api\/v1\/case-types/, /^\/api\/v1\/workflows/, /^\/api\/v1\/regions\//,
  /^\/api\/v1\/console\/config$/, /^\/api\/v1\/fieldwork\/visit-purposes$/, /^\/api\/v1\/fieldwork\/households/, /^\/api\/v1\/fieldwork\/today$/, /^\/api\/v1\/dictionaries/];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(['/', '/manifest.webmanifest'])).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // the app shell: the network first, the cached one offline
    e.respondWith(fetch(req).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(SHELL).then((c) => c.put('/', copy)); }
      return res;
    }).catch(() => caches.match('/').then((r) => r || Response.error())));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // hashed, immutable: the cache first
    e.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(SHELL).then((c) => c.put(req, copy)); }
      return res;
    })));
    return;
  }
  if (LOOKUP_PATHS.some((re) => re.test(url.pathname))) {
    e.respondWith(fetch(req).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(LOOKUPS).then((c) => c.put(req, copy)); }
      return res;
    }).catch(() => caches.match(req).then((r) => r || Response.error())));
  }
});

self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'flush') e.waitUntil(flush());
});
self.addEventListener('sync', (e) => {
  if (e.tag === 'outbox') e.waitUntil(flush());
});

// ---- IndexedDB, as web/src/lib/offline.ts lays it out
function openDb() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open('gongzhi-offline', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('drafts', { keyPath: 'key' });
      r.result.createObjectStore('outbox', { keyPath: 'key' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}
function tx(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const t = db.transaction('outbox', mode);
    const out = fn(t.objectStore('outbox'));
    t.oncomplete = () => resolve(out && 'result' in out ? out.result : undefined);
    t.onerror = () => reject(t.error);
  });
}
const allItems = (db) => tx(db, 'readonly', (s) => s.getAll());
const putItem = (db, item) => tx(db, 'readwrite', (s) => s.put(item));

async function tell() {
  for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage({ type: 'outbox' });
}

let running = null;
function flush() {
  running = running || send().finally(() => { running = null; });
  return running;
}

async function send() {
  const db = await openDb();
  const items = (await allItems(db)).filter((i) => i.state === 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const item of items) {
    try {
      for (const p of item.photos) {
        if (p.uploadedId) continue;
        const fd = new FormData();
        fd.append('file', p.blob, p.name);
        const up = await fetch('/api/v1/attachments', { method: 'POST', body: fd, credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (up.status >= 500 || up.status === 429) throw new Error(`upload ${up.status}`);
        if (!up.ok) { const b = await up.json().catch(() => ({})); throw Object.assign(new Error(b.detail || `upload ${up.status}`), { final: true }); }
        p.uploadedId = (await up.json()).id;
        await putItem(db, item);
      }
      const post = async (base) => {
        const body = { ...base, attachmentIds: [...(base.attachmentIds || []), ...item.photos.map((p) => p.uploadedId)] };
        if (!body.attachmentIds.length) delete body.attachmentIds;
        const res = await fetch(item.url, {
          method: 'POST', credentials: 'same-origin', body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': item.key },
        });
        if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Error(`status ${res.status}`);
        return { res, json: await res.json().catch(() => null) };
      };
      let { res, json } = await post(item.body);
      // the point the phone's GPS gave lies outside the grids or the worker's area: placed by the region instead
      if (!res.ok && item.fallbackBody && json && (json.code === 'outside_area' || json.code === 'outside_scope')) {
        ({ res, json } = await post(item.fallbackBody));
      }
      if (!res.ok) throw Object.assign(new Error((json && json.detail) || `status ${res.status}`), { final: true });
      // a case filed from a visit (发现问题) answers with its caseId
      if (json && json.id == null && json.caseId != null) json.id = json.caseId;
      const selfClose = item.selfCloseNote && json && json.id && (item.selfCloseActions || []).find((a) => (json.actions || []).includes(a));
      if (selfClose) {
        await fetch(`/api/v1/cases/${json.id}/actions/${selfClose}`, {
          method: 'POST', credentials: 'same-origin', body: JSON.stringify({ note: item.selfCloseNote }),
          headers: { 'content-type': 'application/json', accept: 'application/json' },
        }).catch(() => undefined);
      }
      item.state = 'sent';
      item.result = { id: json && json.id, caseNo: json && json.caseNo };
      await putItem(db, item);
      await tell();
    } catch (err) {
      item.attempts = (item.attempts || 0) + 1;
      item.error = String((err && err.message) || err);
      if (err && err.final) item.state = 'failed';
      await putItem(db, item);
      await tell();
      // no answer at all: ask the pages to try again shortly (a page knows whether it is online; this
      // worker sends only when a page asks, so nothing leaves the phone while it is offline)
      if (!(err && err.final)) {
        setTimeout(async () => {
          for (const c of await self.clients.matchAll({ includeUncontrolled: true })) c.postMessage({ type: 'outbox-retry' });
        }, Math.min(60_000, 2000 * item.attempts));
        break;
      }
    }
  }
}
