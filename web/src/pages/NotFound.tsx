import { Link } from 'react-router-dom';
import { Result, Button } from 'antd';
import { useI18n } from '../i18n/index.tsx';

export default function NotFound() {
  const { t } = useI18n();
  return <Result status="404" title={t('common.pageNotFound')} extra={<Link to="/"><Button type="primary">{t('nav.home')}</Button></Link>} />;
}
