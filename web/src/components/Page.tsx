import type { ReactNode } from 'react';
import { Alert, Typography } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import type { ApiError } from '../api/client.ts';

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div className="gz-page-head">
      <Typography.Title level={2} className="gz-page-title">{children}</Typography.Title>
      {extra && <div className="gz-page-extra">{extra}</div>}
    </div>
  );
}

export function ErrorNote({ error }: { error: ApiError | null | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  // no answer at all (offline): say so in the user's language, not the browser's "Failed to fetch"
  if (error.code === 'network') return <Alert type="warning" showIcon title={t('fw.networkDown')} role="alert" style={{ marginBottom: 16 }} />;
  const title = error.status === 404 ? t('common.notFound') : error.status === 403 ? t('common.forbidden') : t('common.error');
  return <Alert type="error" showIcon title={title} description={error.message} role="alert" style={{ marginBottom: 16 }} />;
}
