// 居民登录 on the phone: the phone number, a one-time code sent to it (a development server without an SMS
// gateway writes the code to its log, and the page says so), and at the first sign-in, once the code is
// accepted, a second step: the community the resident lives in, then 完成. Then to 居民参与, where 我的 links the account to the registry (关联身份).
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { useAuth } from '../../lib/auth.tsx';
import type { Me } from '../../api/types.ts';
import { ptError } from '../participation/shared.ts';
import { PortalLayout } from './PortalLayout.tsx';
import { CommunitySelect } from './PortalCommunity.tsx';

interface Sent { sentTo: string; expiresInSeconds: number; delivery: 'sms' | 'log' }

export default function PortalSignIn() {
  const { t, locale } = useI18n();
  const { user, adopt } = useAuth();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const next = (params.get('next') ?? '').startsWith('/') && !(params.get('next') ?? '').startsWith('//') ? params.get('next')! : '/participation';
  const [form] = Form.useForm();
  const [sent, setSent] = useState<Sent | null>(null);
  const [wait, setWait] = useState(0);
  const [needCommunity, setNeedCommunity] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);
  if (user) return <Navigate to={next} replace />;

  const send = async () => {
    setError(null);
    try { await form.validateFields(['phone']); } catch { return; }
    setBusy(true);
    try {
      setSent(await api<Sent>('/api/v1/participation/sign-in/code', { body: { phone: String(form.getFieldValue('phone')).trim() } }));
      setWait(60);
    } catch (e) { setError(ptError(e, locale)); } finally { setBusy(false); }
  };
  const signIn = async (v: { phone: string; code: string; communityCode?: string }) => {
    setError(null);
    setBusy(true);
    try {
      const r = await api<{ user: Me }>('/api/v1/participation/sign-in', { quiet401: true,
        body: { phone: v.phone.trim(), code: v.code.trim(), ...(v.communityCode ? { communityCode: v.communityCode } : {}) } });
      adopt(r.user);
      nav(next, { replace: true });
    } catch (e) {
      // a new phone: the code was right, and the second step is the community (no error, a hint and 完成)
      if (e instanceof ApiError && e.code === 'community_required') setNeedCommunity(true);
      else setError(ptError(e, locale));
    } finally { setBusy(false); }
  };
  const min = Math.round((sent?.expiresInSeconds ?? 300) / 60);
  return (
    <PortalLayout>
      <div data-testid="resident-sign-in" style={{ maxWidth: 420, margin: '0 auto' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('pt.signin.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('pt.signin.intro')}</Typography.Paragraph>
        <Form form={form} layout="vertical" name="resident-sign-in" onFinish={signIn} requiredMark={false}>
          <Form.Item label={t('pt.signin.phone')} required>
            <Space.Compact block>
              <Form.Item name="phone" noStyle rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*1\d{10}\s*$/, message: t('pt.signin.phoneFormat') }]}>
                <Input aria-label={t('pt.signin.phone')} type="tel" inputMode="numeric" autoComplete="tel" maxLength={11} size="large" />
              </Form.Item>
              <Button size="large" onClick={send} disabled={wait > 0} loading={busy && !sent} data-testid="send-code">
                {wait > 0 ? t('pt.signin.resend', { n: wait }) : t('pt.signin.send')}
              </Button>
            </Space.Compact>
          </Form.Item>
          {sent && <Alert type={sent.delivery === 'log' ? 'warning' : 'success'} showIcon style={{ marginBottom: 16 }} data-testid="code-sent"
            title={t(sent.delivery === 'log' ? 'pt.signin.sentLog' : 'pt.signin.sent', { phone: sent.sentTo, min })} />}
          <Form.Item name="code" label={t('pt.signin.code')} hidden={needCommunity} rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*\d{6}\s*$/, message: t('pt.signin.codeFormat') }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" />
          </Form.Item>
          {needCommunity && <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="sign-in-first-time" title={t('pt.signin.firstTime')} />}
          {needCommunity && (
            <Form.Item name="communityCode" label={t('pt.signin.community')} extra={t('pt.signin.communityHelp')} rules={[{ required: true, message: t('form.required') }]}>
              <CommunitySelect value={form.getFieldValue('communityCode')} onChange={(c) => form.setFieldValue('communityCode', c)} label={t('pt.signin.community')} testId="sign-in-community" />
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="sign-in-error" />}
          <Button type="primary" htmlType="submit" size="large" block loading={busy && !!sent} disabled={!sent}>{t(needCommunity ? 'pt.signin.finish' : 'pt.signin.submit')}</Button>
        </Form>
      </div>
    </PortalLayout>
  );
}
