import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useAuth } from '../lib/auth.tsx';
import { LanguageSwitch } from '../components/AppShell.tsx';
import { ApiError } from '../api/client.ts';
import { markAppReady } from '../lib/ready.ts';

export default function Login() {
  const { t } = useI18n();
  const { user, login } = useAuth();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // the second step of an account with two-step verification: the password was right, a code is needed
  const [needOtp, setNeedOtp] = useState(false);
  const next = params.get('next');
  useEffect(() => { if (!user) markAppReady(); }, [user]);
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (user) return <Navigate to={target} replace />;

  const submit = async (v: { username: string; password: string; otp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password, needOtp ? v.otp : undefined);
      nav(target, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'otp_required') setNeedOtp(true);
      else setError(loginError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="gz-login">
      <div className="gz-login-top"><LanguageSwitch /></div>
      <Card className="gz-login-card">
        <div className="gz-login-brand">
          <span className="gz-brand-mark" aria-hidden>共</span>
          <div>
            <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('app.name')}</Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
        </div>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        {!error && params.get('ended') && <Alert type="warning" title={t('auth.sessionEnded')} showIcon style={{ marginBottom: 16 }} role="status" data-testid="session-ended" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          {needOtp && (
            <Form.Item name="otp" label={t('auth.otp')} extra={t('auth.otpHint')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('auth.otpRequired') }]}>
              <Input prefix={<SafetyOutlined aria-hidden />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('auth.login')}</Button>
        </Form>
        <div className="gz-login-foot">
          <Link to="/portal">{t('auth.residentPortal')}</Link>
        </div>
      </Card>
    </main>
  );
}

/** What a failed login tells the user: wrong credentials or code, or how long to wait (429 Retry-After). */
function loginError(e: unknown, t: (key: MessageKey, vars?: Record<string, string | number>) => string): string {
  if (!(e instanceof ApiError)) return t('common.networkError');
  if (e.status === 429) {
    // how long, in words a person reads (seconds only under a minute), and whose attempts hold them back
    const seconds = Number(e.extra.retryAfter ?? 60);
    const wait = seconds < 60 ? t('auth.waitSeconds', { n: seconds }) : t('auth.waitMinutes', { n: Math.ceil(seconds / 60) });
    const scope = e.extra.scope === 'address' ? 'auth.tooManyAddress' : e.extra.scope === 'account' ? 'auth.tooManyAccount' : 'auth.tooMany';
    return t(scope, { wait });
  }
  if (e.code === 'invalid_otp') return t('auth.otpWrong');
  return e.status === 401 || e.status === 400 ? t('auth.failed') : t('common.networkError');
}
