import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, List, Space, Typography } from 'antd';
import { CameraOutlined, HeartOutlined, MobileOutlined, NotificationOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { PortalLayout, savedReports } from './PortalLayout.tsx';
import { TrackForm } from './TrackForm.tsx';

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
          <TrackForm />
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
