// A page whose code could not be loaded (server down, network gone: "Failed to fetch dynamically imported
// module") says so with a retry, instead of leaving a white screen.
import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n/index.tsx';

interface Props { children: ReactNode; fallback: (retry: () => void) => ReactNode; resetKey: string }

class Boundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() { return { failed: true }; }
  // another address tries again (without remounting the pages around it)
  componentDidUpdate(prev: Props) { if (prev.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false }); }
  render() {
    // a lazy page that failed once stays failed in this document: the retry loads the page anew
    return this.state.failed ? this.props.fallback(() => window.location.reload()) : this.props.children;
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
