// Live domain events over Server-Sent Events (DESIGN rule 8). One EventSource per tab, shared by
// every component that subscribes; the browser sends the session cookie and reconnects by itself,
// with the last event id, so the server replays what the tab missed. When it cannot (too far behind),
// it sends "reset" and the pages reload what they show; when the session ends, "session_ended".
import { useEffect, useRef, useState } from 'react';
import { loadWorkflows } from './workflows.ts';
import { api, networkFailureListeners } from '../api/client.ts';

export interface LiveEvent {
  topic: string; caseId?: number; caseNo?: string; action?: string; from?: string; to?: string; at?: string;
  /** alert.raised / alert.handled (risk prevention) */
  alertId?: number; level?: string; kind?: string; ruleId?: number; facts?: Record<string, unknown>; status?: string; regionCode?: string; triggeredAt?: string;
  /** alert.handled: a rule turned its own alert into a case (规则自动转案件) */
  auto?: boolean;
}

/** Topics besides the case events: the alerts of risk prevention (the dashboard's and big screen's banner). */
export const ALERT_TOPICS = ['alert.raised', 'alert.handled'];
type Listener = (e: LiveEvent) => void;

/** Every case event's topic, as the server lists them with the case types. */
async function caseTopics(): Promise<string[]> {
  return (await loadWorkflows()).data.topics;
}

const listeners = new Set<Listener>();
const statusListeners = new Set<(s: LiveStatus) => void>();
let source: EventSource | null = null;
let status: LiveStatus = 'off';
export type LiveStatus = 'off' | 'connecting' | 'live' | 'retrying';

function setStatus(s: LiveStatus) { status = s; for (const f of statusListeners) f(s); }

/** Opens the stream (the staff shell does this once logged in). */
export function connectLive(): void { connect(); }

const RECONNECT_MS = 5_000;
/** the stream is wanted (not logged out): a stream that dies is opened again */
let wanted = false;
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

/** The stream is down (or the server unreachable): grey 「已断开，重连中」, and a fresh stream shortly. */
function dropAndReconnect() {
  source?.close();
  source = null;
  setStatus('retrying');
  if (!reconnectTimer) reconnectTimer = setTimeout(() => { reconnectTimer = null; if (wanted) connect(); }, RECONNECT_MS);
}
// a request that could not reach the server: the stream (which may not have noticed yet) is not 实时 either
networkFailureListeners.add(() => { if (wanted && source) dropAndReconnect(); });

function connect() {
  wanted = true;
  if (source || typeof EventSource === 'undefined') return;
  if (status !== 'retrying') setStatus('connecting');
  source = new EventSource('/api/v1/events');
  source.onopen = () => setStatus('live');
  // the browser retries a dropped stream by itself, but gives up (CLOSED) on an error answer: then we retry
  source.onerror = () => { if (source?.readyState === EventSource.CLOSED) dropAndReconnect(); else setStatus('retrying'); };
  const dispatch = (topic: string) => (ev: MessageEvent) => {
    let data: Record<string, unknown> = {};
    try { data = JSON.parse(ev.data); } catch { /* keep empty */ }
    const e = { topic, ...data } as LiveEvent;
    for (const f of listeners) f(e);
  };
  const opened = source;
  for (const t of ALERT_TOPICS) opened.addEventListener(t, dispatch(t) as EventListener);
  void caseTopics().then((topics) => {
    if (source !== opened) return;
    for (const t of topics) opened.addEventListener(t, dispatch(t) as EventListener);
  }, () => undefined);
  // missed events the server cannot replay: every subscriber refetches, as after any change
  source.addEventListener('reset', dispatch('reset') as EventListener);
  // logout elsewhere, revocation, expiry, deactivation: stop, and let the 401 of a request take the tab to the login page
  source.addEventListener('session_ended', () => {
    disconnectLive();
    void api('/api/v1/auth/me').catch(() => {});
  });
}

/** Closes the stream (on logout). */
export function disconnectLive(): void {
  wanted = false;
  if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
  source?.close();
  source = null;
  setStatus('off');
}

/** Calls `onEvent` for every live case event; debounced so a burst of events causes one refetch. */
export function useLiveEvents(onEvent: Listener, debounceMs = 300): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    connect();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: LiveEvent | null = null;
    const f: Listener = (e) => {
      last = e;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { timer = null; if (last) ref.current(last); }, debounceMs);
    };
    listeners.add(f);
    return () => { listeners.delete(f); if (timer) clearTimeout(timer); };
  }, [debounceMs]);
}

/** Calls `onEvent` for every live event whose topic starts with `prefix`, each one (not debounced): banners. */
export function useLiveTopic(prefix: string, onEvent: Listener): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    connect();
    const f: Listener = (e) => { if (e.topic.startsWith(prefix)) ref.current(e); };
    listeners.add(f);
    return () => { listeners.delete(f); };
  }, [prefix]);
}

export function useLiveStatus(): LiveStatus {
  const [s, setS] = useState(status);
  useEffect(() => {
    statusListeners.add(setS);
    setS(status);
    return () => { statusListeners.delete(setS); };
  }, []);
  return s;
}
