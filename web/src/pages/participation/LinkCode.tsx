// 关联码 on a registry person (grid workers, the community): a one-time code to hand to the resident, who
// enters it on 我的 to link their phone account to this person. Shown once; valid for seven days.
import { useState } from 'react';
import { App, Button, Modal, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ptError } from './shared.ts';

export function LinkCodeButton({ personId }: { personId: number }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [made, setMade] = useState<{ code: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const make = async () => {
    setBusy(true);
    try { setMade(await api('/api/v1/participation/link-codes', { body: { personId } })); } catch (e) { message.error(ptError(e, locale)); } finally { setBusy(false); }
  };
  return (
    <>
      <Button icon={<KeyOutlined />} loading={busy} onClick={make} data-testid="make-link-code">{t('pt.linkCode.make')}</Button>
      <Modal open={!!made} title={t('pt.linkCode.title')} onCancel={() => setMade(null)} onOk={() => setMade(null)} cancelButtonProps={{ style: { display: 'none' } }} okText={t('pt.linkCode.done')}>
        {made && <>
          <Typography.Title level={2} copyable style={{ textAlign: 'center', letterSpacing: 4, fontFamily: 'monospace' }} data-testid="link-code">{made.code}</Typography.Title>
          <Typography.Paragraph>{t('pt.linkCode.help', { time: formatDateTime(made.expiresAt, locale) })}</Typography.Paragraph>
        </>}
      </Modal>
    </>
  );
}
