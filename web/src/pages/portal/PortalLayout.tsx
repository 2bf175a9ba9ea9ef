// The resident portal frame: no staff login, phone-first.
import { useEffect, type ReactNode } from 'react';
import { markAppReady } from '../../lib/ready.ts';
import { Link } from 'react-router-dom';
import { LanguageSwitch } from '../../components/AppShell.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function PortalLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => markAppReady(), []);
  return (
    <div className="gz-portal">
      <header className="gz-portal-header">
        <span className="gz-brand-mark" aria-hidden>共</span>
        <h1><Link to="/portal">{t('portal.title')}</Link></h1>
        <span style={{ flex: 1 }} />
        <LanguageSwitch dark />
      </header>
      <main className="gz-portal-body" id="main">{children}</main>
    </div>
  );
}

/** Reports made on this device, so a resident can come back to them without retyping the token. */
export interface SavedReport { caseNo: string; token: string; title: string; at: string }
const KEY = 'gz.portal.reports';
export function savedReports(): SavedReport[] {
  try { return JSON.parse(localStorage.getItem(KEY) ?? '[]'); } catch { return []; }
}
export function saveReport(r: SavedReport): void {
  localStorage.setItem(KEY, JSON.stringify([r, ...savedReports().filter((x) => x.caseNo !== r.caseNo)].slice(0, 20)));
}
