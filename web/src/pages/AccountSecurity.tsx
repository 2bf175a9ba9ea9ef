// 账号安全: two-step verification (TOTP) for administrator and command-centre accounts. Setting it up
// shows the secret as a QR code and as text for an authenticator app; the first code turns it on.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, QRCode, Space, Tag, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { useApi } from '../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../components/Page.tsx';
import { errorText } from '../lib/forms.ts';
import { ApiError } from '../api/client.ts';

interface Status { available: boolean; enabled: boolean; enabledAt: string | null }
interface Enrolment { secret: string; otpauthUri: string }

const CODE = /^\d{6}$/;

export default function AccountSecurity() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const status = useApi<Status>('/api/v1/auth/totp');
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    // a wrong or used code is the user's to correct: said in the console's language, not the API's
    try { await fn(); } catch (e) { setError(e instanceof ApiError && e.code === 'invalid_otp' ? t('auth.otpWrong') : errorText(e)); } finally { setBusy(false); }
  };
  const start = () => run(async () => setEnrolment(await api<Enrolment>('/api/v1/auth/totp/enrol', { method: 'POST' })));
  const confirm = (v: { code: string }) => run(async () => {
    await api('/api/v1/auth/totp/confirm', { body: { code: v.code } });
    setEnrolment(null);
    message.success(t('sec.enabled'));
    status.reload();
  });
  const disable = (v: { code: string }) => run(async () => {
    await api('/api/v1/auth/totp/disable', { body: { code: v.code } });
    message.success(t('sec.disabled'));
    status.reload();
  });
  const codeRule = { required: true, pattern: CODE, message: t('auth.otpRequired') };
  const s = status.data;

  return (
    <>
      <PageTitle>{t('sec.title')}</PageTitle>
      <ErrorNote error={status.error} />
      <Card title={<Space><SafetyOutlined aria-hidden />{t('sec.totp')}{s && <Tag color={s.enabled ? 'green' : 'default'} data-testid="totp-state">{s.enabled ? t('sec.on') : t('sec.off')}</Tag>}</Space>}>
        <Typography.Paragraph>{t('sec.totpIntro')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
        {s && !s.available && <Alert type="info" showIcon title={t('sec.notAvailable')} />}
        {s?.available && !s.enabled && !enrolment && <Button type="primary" onClick={start} loading={busy}>{t('sec.start')}</Button>}
        {enrolment && (
          <Space direction="vertical" size="middle">
            <Typography.Text>{t('sec.scan')}</Typography.Text>
            <QRCode value={enrolment.otpauthUri} type="svg" size={192} aria-label={t('sec.uri')} />
            <Typography.Text>{t('sec.secret')}: <Typography.Text code copyable data-testid="totp-secret">{enrolment.secret}</Typography.Text></Typography.Text>
            <Form layout="inline" onFinish={confirm} requiredMark={false}>
              <Form.Item name="code" label={t('sec.enterCode')} rules={[codeRule]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 140 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>{t('sec.confirm')}</Button>
            </Form>
          </Space>
        )}
        {s?.enabled && (
          <Space direction="vertical">
            {s.enabledAt && <Typography.Text type="secondary">{t('sec.onSince', { at: new Date(s.enabledAt).toLocaleString() })}</Typography.Text>}
            <Form layout="inline" onFinish={disable} requiredMark={false}>
              <Form.Item name="code" label={t('sec.disableHint')} rules={[codeRule]}>
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 140 }} />
              </Form.Item>
              <Button danger htmlType="submit" loading={busy}>{t('sec.disable')}</Button>
            </Form>
          </Space>
        )}
      </Card>
    </>
  );
}
