// 户数（按范围统计）: a grid's household count — the households within its boundary, from the grid's count
// (imported, entered, shared out by area on a split) — labelled as such, with why it may differ from the
// households registered on the grid that a worker's 今日 counts.
import { Tooltip } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';

export function HouseholdsByArea() {
  const { t } = useI18n();
  return (
    <Tooltip title={t('gm.householdsByAreaTip')}>
      <span data-testid="households-by-area">{t('gm.householdsByArea')} <InfoCircleOutlined tabIndex={0} aria-label={t('gm.householdsByAreaTip')} /></span>
    </Tooltip>
  );
}
