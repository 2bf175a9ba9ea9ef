// Field work without a connection: form drafts kept on the phone (IndexedDB, so a reload loses nothing
// typed) and an outbox of reports and visits waiting to be sent. The service worker (public/sw.js)
// sends the outbox when the page tells it the connection is back, each request with its own
// Idempotency-Key, so a retry after a lost answer never makes a second case. Photos taken offline wait
// in the outbox as blobs and are uploaded first. The schema here and in sw.js must stay the same.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { useEffect, useState } from 'react';

export interface OutboxPhoto { name: string; type: string; blob: Blob; uploadedId?: number }
export interface OutboxItem {
  key: string;
  kind: 'report' | 'visit';
  url: string;
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** What to send instead when the server refuses the point taken from the phone's GPS (outside the grids or the
   *  worker's area): the report placed by its region, as it would have been without the point. */
  fallbackBody?: Record<string, unknown>;
  /** A report handled on the spot: closed once filed (小事不出村). */
  selfCloseNote?: string;
  /** The actions that close it on the spot, the first the new case offers is taken. */
  selfCloseActions?: string[];
  title: string;
  createdAt: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  error?: string;
  result?: { id: number; caseNo?: string };
}
interface Draft { key: string; values: Record<string, unknown>; updatedAt: string }

interface OfflineDb extends DBSchema {
  drafts: { key: string; value: Draft };
  outbox: { key: string; value: OutboxItem };
}

let dbp: Promise<IDBPDatabase<OfflineDb>> | null = null;
function db() {
  dbp ??= openDB<OfflineDb>('gongzhi-offline', 1, {
    upgrade(d) {
      d.createObjectStore('drafts', { keyPath: 'key' });
      d.createObjectStore('outbox', { keyPath: 'key' });
    },
  });
  return dbp;
}

export async function saveDraft(key: string, values: Record<string, unknown>): Promise<void> {
  await (await db()).put('drafts', { key, values, updatedAt: new Date().toISOString() });
}
export async function loadDraft(key: string): Promise<Record<string, unknown> | null> {
  return (await (await db()).get('drafts', key))?.values ?? null;
}
export async function dropDraft(key: string): Promise<void> {
  await (await db()).delete('drafts', key);
}

/** A photo of a form as a draft keeps it: the picture itself (a Blob), so a reload loses nothing. */
export interface DraftPhoto { id: number; name: string; type: string; blob: Blob; pending: boolean; token?: string }
interface PhotoLike { id: number; token?: string; url: string; name: string; file?: File; local?: Blob }
/** The photos of a form, for its draft (those without a picture on the phone cannot be kept and are left out). */
export function photosToDraft(photos: PhotoLike[] | undefined): DraftPhoto[] {
  return (photos ?? []).flatMap((p) => {
    const blob = p.file ?? p.local;
    return blob ? [{ id: p.id, name: p.name, type: blob.type, blob, pending: !!p.file, ...(p.token ? { token: p.token } : {}) }] : [];
  });
}
/** The photos of a draft, for the form again: a photo not yet uploaded is a file waiting for the outbox. */
export function photosFromDraft(saved: unknown): PhotoLike[] {
  if (!Array.isArray(saved)) return [];
  return (saved as DraftPhoto[]).filter((p) => p && p.blob instanceof Blob).map((p) => {
    const file = p.blob instanceof File ? p.blob : new File([p.blob], p.name, { type: p.type });
    return { id: p.id, name: p.name, url: URL.createObjectURL(p.blob), ...(p.token ? { token: p.token } : {}), ...(p.pending ? { file } : { local: p.blob }) };
  });
}

/**
 * Where the phone is now, when the user has allowed the location (no prompt is raised here), else null.
 * Works offline (GPS); a report takes it at the time it is made.
 */
export async function currentPosition(timeoutMs = 8000): Promise<{ lat: number; lng: number; accuracy: number } | null> {
  if (!navigator.geolocation) return null;
  try {
    const state = (await navigator.permissions?.query({ name: 'geolocation' as PermissionName }))?.state;
    if (state && state !== 'granted') return null;
  } catch { /* no Permissions API: the browser asks or refuses by itself */ }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 500);
    navigator.geolocation.getCurrentPosition(
      (p) => { clearTimeout(timer); resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }); },
      () => { clearTimeout(timer); resolve(null); },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/** A fresh Idempotency-Key for one send. */
export const newKey = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;

export async function enqueue(item: Omit<OutboxItem, 'state' | 'attempts' | 'createdAt'>): Promise<void> {
  await (await db()).put('outbox', { ...item, state: 'pending', attempts: 0, createdAt: new Date().toISOString() });
  notifyOutbox();
  void flushOutbox();
}
export async function outboxItems(): Promise<OutboxItem[]> {
  return (await (await db()).getAll('outbox')).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
export async function forget(key: string): Promise<void> {
  await (await db()).delete('outbox', key);
  notifyOutbox();
}

const listeners = new Set<() => void>();
function notifyOutbox() { for (const l of listeners) l(); }

/** Asks the service worker to send what waits, when the phone is online. */
export async function flushOutbox(): Promise<void> {
  if (!navigator.onLine || !('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  reg.active?.postMessage({ type: 'flush' });
}

let started = false;
/** Registers the service worker (once), and sends the outbox whenever the connection comes back. */
export function startOffline(): void {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.type === 'outbox') notifyOutbox();
    if (e.data?.type === 'outbox-retry') void flushOutbox();
  });
  window.addEventListener('online', () => { void flushOutbox(); });
  void flushOutbox();
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => { window.removeEventListener('online', on); window.removeEventListener('offline', off); };
  }, []);
  return online;
}

/** The outbox, re-read whenever it changes (queued here, sent by the service worker). */
export function useOutbox(): OutboxItem[] {
  const [items, setItems] = useState<OutboxItem[]>([]);
  useEffect(() => {
    let alive = true;
    const read = () => { void outboxItems().then((x) => { if (alive) setItems(x); }).catch(() => undefined); };
    listeners.add(read);
    read();
    return () => { alive = false; listeners.delete(read); };
  }, []);
  return items;
}

/** A network failure (no answer at all), as opposed to an answer with an error. */
export const isNetworkError = (e: unknown) => e instanceof TypeError || (e as Error)?.name === 'TypeError';
