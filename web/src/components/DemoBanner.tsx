// The 演示数据 banner: a demo account always sees that what it sees is demo data; it is told that its
// password is public only when it is (the demo admin's is generated or configured).
import { Alert } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';

/** passwordPublic: the account's password is the published demo one (the demo admin's is not). */
export function DemoBanner({ passwordPublic }: { passwordPublic: boolean }) {
  const { t } = useI18n();
  return (
    <Alert
      banner
      type="warning"
      icon={<ExperimentOutlined />}
      data-testid="demo-banner"
      role="status"
      title={<><strong>{t('demo.banner')}</strong> · {t(passwordPublic ? 'demo.bannerDetail' : 'demo.bannerDetailPrivate')}</>}
    />
  );
}
