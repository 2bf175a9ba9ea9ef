import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Form, Input, List, Space, Typography } from 'antd';
import { CameraOutlined, HeartOutlined, MobileOutlined, NotificationOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { PortalLayout, savedReports } from './PortalLayout.tsx';

export default function PortalHome() {
  const { t, locale } = useI18n();
  const nav = useNavigate();
  const [mine] = useState(savedReports);
  return (
    <PortalLayout>
      <Typography.Paragraph>{t('portal.intro')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Button type="primary" size="large" block icon={<CameraOutlined />} className="gz-big-button" onClick={() => nav('/portal/report')} data-testid="portal-report">
          {t('portal.report')}
        </Button>
        <Card size="small" title={t('portal.track')}>
          <Form layout="vertical" name="portal-find" onFinish={(v) => nav(`/portal/track?caseNo=${encodeURIComponent(v.caseNo.trim())}&token=${encodeURIComponent(v.token.trim())}`)}>
            <Form.Item name="caseNo" label={t('portal.caseNo')} rules={[{ required: true, message: t('form.required') }]}><Input autoCapitalize="characters" /></Form.Item>
            <Form.Item name="token" label={t('portal.token')} rules={[{ required: true, message: t('form.required') }]}><Input /></Form.Item>
            <Button htmlType="submit" icon={<SearchOutlined />} block>{t('portal.find')}</Button>
          </Form>
        </Card>
        {!!mine.length && (
          <Card size="small" title={t('portal.mine')}>
            <List size="small" dataSource={mine} renderItem={(r) => (
              <List.Item><Link to={`/portal/track?caseNo=${r.caseNo}&token=${encodeURIComponent(r.token)}`}>{r.title}</Link>
                <Typography.Text type="secondary">{r.caseNo} · {formatDateTime(r.at, locale)}</Typography.Text></List.Item>
            )} />
          </Card>
        )}
        <Card size="small" title={t('home.ptEntry')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Button block size="large" icon={<HeartOutlined />} onClick={() => nav('/portal/wishes')} data-testid="portal-wall">{t('pt.pub.wall')}</Button>
            <Button block size="large" icon={<NotificationOutlined />} onClick={() => nav('/portal/notices')} data-testid="portal-public-notices">{t('pt.pub.notices')}</Button>
            <Button block size="large" type="primary" ghost icon={<MobileOutlined />} onClick={() => nav('/portal/sign-in')} data-testid="portal-sign-in">{t('pt.signin.entry')}</Button>
          </Space>
        </Card>
        <div style={{ textAlign: 'center' }}><Link to="/login">{t('portal.staffLogin')}</Link></div>
      </Space>
    </PortalLayout>
  );
}
