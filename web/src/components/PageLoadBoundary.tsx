// A page whose code could not be loaded (server down, network gone: "Failed to fetch dynamically imported
// module") says so with a retry, instead of leaving a white screen.
import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { networkFailureListeners } from '../api/client.ts';

interface Props { children: ReactNode; fallback: (retry: () => void) => ReactNode; resetKey: string }

/** A page's code could not be fetched (the browsers' words for it differ). */
const isLoadFailure = (e: unknown) => /dynamically imported module|Importing a module script failed|Failed to fetch|error loading dynamically/i.test(String((e as Error)?.message ?? e));

class Boundary extends Component<Props, { error: unknown }> {
  state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) { return { error }; }
  // the server could not be reached: the live badge stops saying 实时 too
  componentDidCatch(error: unknown) { if (isLoadFailure(error)) for (const f of networkFailureListeners) f(); }
  // another address tries again (without remounting the pages around it)
  componentDidUpdate(prev: Props) { if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null }); }
  render() {
    const { error } = this.state;
    // any other error is not this boundary's to explain
    if (error && !isLoadFailure(error)) throw error;
    // a lazy page that failed once stays failed in this document: the retry loads the page anew
    return error ? this.props.fallback(() => window.location.reload()) : this.props.children;
  }
}

function LoadFailed({ retry }: { retry: () => void }) {
  const { t } = useI18n();
  return (
    <Result status="warning" title={t('app.pageLoadFailed')} subTitle={t('app.pageLoadFailedHint')}
      extra={<Button type="primary" onClick={retry}>{t('app.retry')}</Button>} />
  );
}

/** Around the lazily loaded routes; another address starts afresh. */
export function PageLoadBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <Boundary resetKey={pathname} fallback={(retry) => <LoadFailed retry={retry} />}>{children}</Boundary>;
}
