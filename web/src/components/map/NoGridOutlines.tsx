// Over a map whose grids have no outlines (a new district: init makes one placeholder grid per community, without
// an outline): says so, and how to import them — for those who may import grids, a link to the grid page's GeoJSON import.
import { Link } from 'react-router-dom';
import { Button, Empty, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';

export function NoGridOutlines({ grid, dark }: { /** one grid's map (its detail page) rather than a region's */ grid?: boolean; dark?: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  const writer = can(me, 'grid.write');
  const how = grid ? (writer ? 'geo.noOutlinesGridHow' : 'geo.noOutlinesHow') : writer ? 'geo.noOutlinesHowWriter' : 'geo.noOutlinesHow';
  return (
    <div className={`gz-map-empty${dark ? ' gz-map-empty-dark' : ''}`} role="status" data-testid="map-no-outlines">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={
        <>
          <Typography.Text strong>{t(grid ? 'geo.noOutlinesGrid' : 'geo.noOutlines')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{t(how)}</Typography.Paragraph>
        </>
      }>
        {writer && !grid && <Link to="/grids"><Button type="primary" icon={<UploadOutlined />}>{t('geo.noOutlinesGo')}</Button></Link>}
      </Empty>
    </div>
  );
}
