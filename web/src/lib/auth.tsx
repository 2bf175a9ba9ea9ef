// Who is logged in. The session lives in the httpOnly cookie gz_session; the console only asks /auth/me.
import { clearDrafts } from './draft.ts';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthenticatedHandler } from '../api/client.ts';
import type { Me } from '../api/types.ts';

interface Auth {
  user: Me | null;
  /** false until /auth/me has answered */
  ready: boolean;
  /** otp: the code of an account with two-step verification */
  login(username: string, password: string, otp?: string): Promise<Me>;
  logout(): Promise<void>;
  /** Takes the user a sign-in other than the password one made (a resident's phone and code). */
  adopt(user: Me): void;
  /** Changes the user's own password, then reads /auth/me again (the must-change flag is cleared). */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

// The session check starts as soon as this module runs, while React is still rendering the first frame.
/** Set when a logged-in session ends under the user (logout in another tab, revocation, expiry, deactivation). */
let sessionEnded = false;
/** Whether the session ended under the user since their last login (the login page says so). */
export function sessionHasEnded(): boolean {
  return sessionEnded;
}

let firstCheck: Promise<Me | null> | null = api<Me>('/api/v1/auth/me', { quiet401: true }).catch(() => null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const check = firstCheck ?? api<Me>('/api/v1/auth/me', { quiet401: true }).catch(() => null);
    firstCheck = null;
    check.then(setUser).finally(() => setReady(true));
    setUnauthenticatedHandler(() => { sessionEnded = true; setUser(null); });
    return () => setUnauthenticatedHandler(null);
  }, []);
  const login = useCallback(async (username: string, password: string, otp?: string) => {
    const r = await api<{ user: Me }>('/api/v1/auth/login', { body: { username, password, ...(otp ? { otp } : {}) }, quiet401: true });
    sessionEnded = false;
    setUser(r.user);
    return r.user;
  }, []);
  const logout = useCallback(async () => {
    try { await api('/api/v1/auth/logout', { method: 'POST', quiet401: true }); } finally { sessionEnded = false; clearDrafts(); setUser(null); }
  }, []);
  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    await api('/api/v1/auth/password', { body: { currentPassword, newPassword } });
    setUser(await api<Me>('/api/v1/auth/me'));
  }, []);
  const adopt = useCallback((u: Me) => { sessionEnded = false; setUser(u); }, []);
  const value = useMemo(() => ({ user, ready, login, logout, adopt, changePassword }), [user, ready, login, logout, adopt, changePassword]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The logged-in user on pages behind RequireAuth. */
export function useMe(): Me {
  const { user } = useAuth();
  if (!user) throw new Error('useMe without a user');
  return user;
}
