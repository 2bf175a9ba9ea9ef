// Where the problem is: a map pick with automatic grid lookup, or (without the map) a region chosen
// from the street → community → grid cascader. Either is enough for intake.
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { api, ApiError } from '../api/client.ts';
import { LazyMap } from './map/index.tsx';
import { RegionCascader } from './Pickers.tsx';

export interface LocationValue { lat?: number; lng?: number; gridCode?: string; gridName?: string; regionCode?: string }

export function LocationField({ id, value, onChange, rootCode, gridsUrl, allowCascader = true, mapOpenByDefault = false, locateUrl = '/api/v1/regions/locate', showGps = false }: {
  id?: string; value?: LocationValue; onChange?(v: LocationValue | undefined): void; rootCode?: string; gridsUrl?: string | null;
  allowCascader?: boolean; mapOpenByDefault?: boolean; locateUrl?: string; showGps?: boolean;
}) {
  const { t } = useI18n();
  const [showMap, setShowMap] = useState(mapOpenByDefault);
  const [grids, setGrids] = useState<GeoJSON.FeatureCollection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);

  useEffect(() => {
    if (!showMap || !gridsUrl || grids) return;
    api<GeoJSON.FeatureCollection>(gridsUrl).then(setGrids, () => undefined);
  }, [showMap, gridsUrl, grids]);

  const pick = async ([lng, lat]: [number, number]) => {
    setError(null);
    try {
      const r = await api<{ gridCode: string; name: string | null }>(`${locateUrl}?lat=${lat}&lng=${lng}`);
      onChange?.({ lat, lng, gridCode: r.gridCode, gridName: r.name ?? r.gridCode });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) { onChange?.({ lat, lng }); return; } // no lookup service: the server locates on submit
      onChange?.(undefined);
      setError(e instanceof ApiError && e.code === 'outside_area' ? t('location.outside') : t('location.lookupFailed'));
    }
  };

  const gps = () => {
    if (!navigator.geolocation) { setError(t('location.noGps')); return; }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => { setLocating(false); void pick([p.coords.longitude, p.coords.latitude]); },
      () => { setLocating(false); setError(t('location.noGps')); },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  return (
    <div id={id} data-testid="location-field">
      <Space wrap style={{ marginBottom: 8 }}>
        <Button icon={<EnvironmentOutlined />} onClick={() => setShowMap((s) => !s)} aria-expanded={showMap} data-testid="toggle-map">
          {showMap ? t('location.hideMap') : t('location.pickOnMap')}
        </Button>
        {showGps && <Button icon={<AimOutlined />} onClick={gps} loading={locating}>{t('location.useGps')}</Button>}
        {value?.gridCode && <Typography.Text data-testid="located-grid" data-lat={value.lat} data-lng={value.lng}>{t('location.inGrid', { grid: value.gridName ?? value.gridCode })}</Typography.Text>}
        {value?.lat != null && !value.gridCode && <Typography.Text data-testid="located-point">{t('location.picked', { lat: value.lat.toFixed(5), lng: value.lng?.toFixed(5) })}</Typography.Text>}
      </Space>
      {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 8 }} role="alert" />}
      {showMap && (
        <LazyMap ariaLabel={t('location.mapLabel')} grids={grids} fit="grids" onPick={pick}
          marker={value?.lng != null && value?.lat != null ? [value.lng, value.lat] : null} highlight={value?.gridCode ?? null} />
      )}
      {allowCascader && rootCode && !value?.lat && (
        <div style={{ marginTop: 8 }}>
          <label htmlFor={`${id ?? 'loc'}-region`}><Typography.Text type="secondary">{t('location.orChooseRegion')}</Typography.Text></label>
          <RegionCascader id={`${id ?? 'loc'}-region`} rootCode={rootCode}
            onChange={(codes) => onChange?.(codes.length ? { regionCode: codes[codes.length - 1] } : undefined)} />
        </div>
      )}
    </div>
  );
}

