// The number and tracking token of a report, to follow it (on the portal's home and on the tracking page
// opened without them).
import { useNavigate } from 'react-router-dom';
import { Button, Form, Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';

export function TrackForm({ caseNo }: { caseNo?: string }) {
  const { t } = useI18n();
  const nav = useNavigate();
  return (
    <Form layout="vertical" name="portal-find" initialValues={caseNo ? { caseNo } : undefined}
      onFinish={(v) => nav(`/portal/track?caseNo=${encodeURIComponent(v.caseNo.trim())}&token=${encodeURIComponent(v.token.trim())}`)}>
      <Form.Item name="caseNo" label={t('portal.caseNo')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input autoCapitalize="characters" /></Form.Item>
      <Form.Item name="token" label={t('portal.token')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input /></Form.Item>
      <Button htmlType="submit" icon={<SearchOutlined />} block>{t('portal.find')}</Button>
    </Form>
  );
}
