// Changing one's own password. Shown in place of every page while a generated password must be changed
// (the first admin's, an imported user's), and at /account/password for anyone who wants to.
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { useAuth } from '../lib/auth.tsx';
import { ApiError } from '../api/client.ts';
import { LanguageSwitch } from '../components/AppShell.tsx';
import { markAppReady } from '../lib/ready.ts';

/** The server's rule (MIN_PASSWORD_LENGTH in platform/auth/service.ts). */
const MIN_LENGTH = 10;

interface Values { currentPassword: string; newPassword: string; confirm: string }

function PasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const { changePassword } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await changePassword(v.currentPassword, v.newPassword);
      onDone();
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      setError(code === 'wrong_password' ? t('password.wrongCurrent') : code === 'password_unchanged' ? t('password.sameAsCurrent')
        : code === 'password_too_short' ? t('password.tooShort', { min: MIN_LENGTH }) : t('common.networkError'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
        <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" autoFocus />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={[
        { required: true, message: t('password.newRequired') },
        { min: MIN_LENGTH, message: t('password.tooShort', { min: MIN_LENGTH }) },
        ({ getFieldValue }) => ({ validator: (_, v) => (v && v === getFieldValue('currentPassword') ? Promise.reject(new Error(t('password.sameAsCurrent'))) : Promise.resolve()) }),
      ]}>
        <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="confirm" label={t('password.confirm')} dependencies={['newPassword']} rules={[
        { required: true, message: t('password.newRequired') },
        ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))) }),
      ]}>
        <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>{t('password.submit')}</Button>
    </Form>
  );
}

/** Full screen, in place of the page asked for, until the generated password is replaced. */
export function PasswordChangeRequired() {
  const { t } = useI18n();
  const { logout } = useAuth();
  const { message } = App.useApp();
  useEffect(() => { markAppReady(); }, []);
  return (
    <main className="gz-login">
      <div className="gz-login-top"><LanguageSwitch /></div>
      <Card className="gz-login-card">
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('password.requiredTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('password.requiredDetail')}</Typography.Paragraph>
        <PasswordForm onDone={() => message.success(t('password.changed'))} />
        <div className="gz-login-foot"><Button type="link" onClick={() => void logout()}>{t('auth.logout')}</Button></div>
      </Card>
    </main>
  );
}

/** /account/password inside the console. */
export default function ChangePassword() {
  const { t } = useI18n();
  const nav = useNavigate();
  const { message } = App.useApp();
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 420 }}>
      <Typography.Title level={2} style={{ fontSize: 20 }}>{t('password.title')}</Typography.Title>
      <Card>
        <PasswordForm onDone={() => { message.success(t('password.changed')); nav(-1); }} />
      </Card>
    </Space>
  );
}
