// The 演示数据 banner: a demo account (its password is public) always sees that what it sees is demo data.
import { Alert } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';

export function DemoBanner() {
  const { t } = useI18n();
  return (
    <Alert
      banner
      type="warning"
      icon={<ExperimentOutlined />}
      data-testid="demo-banner"
      role="status"
      title={<><strong>{t('demo.banner')}</strong> · {t('demo.bannerDetail')}</>}
    />
  );
}
