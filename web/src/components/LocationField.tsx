// Where the problem is: a map pick with automatic grid lookup, or (without the map) a region chosen
// from the street → community → grid cascader. Either is enough for intake.
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import { AimOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { api, ApiError } from '../api/client.ts';
import { LazyMap } from './map/index.tsx';
import { RegionCascader } from './Pickers.tsx';
import { pathText, type PathItem } from './AddressField.tsx';

export interface LocationValue {
  lat?: number; lng?: number; gridCode?: string; gridName?: string; regionCode?: string;
  /** The full path (区 / 街道 / 社区 / 网格) of where it lies, for the confirmation. */
  path?: PathItem[];
  /** The nearest standard address of a map point. */
  nearest?: string;
  /** Placed from a picked address suggestion rather than on the map. */
  byAddress?: boolean;
}

/** The street and community outlines beside a grids URL: a region's (staff) or the portal's. */
function outlinesFor(gridsUrl: string | null | undefined): string | null {
  const m = /^\/api\/v1\/regions\/(\d+)\/grids$/.exec(gridsUrl ?? '');
  if (m) return `/api/v1/regions/${m[1]}/outlines`;
  return gridsUrl === '/api/v1/portal/grids' ? '/api/v1/portal/outlines' : null;
}

export function LocationField({ id, value, onChange, rootCode, gridsUrl, allowCascader = true, mapOpenByDefault = false, locateUrl = '/api/v1/regions/locate', reverseUrl = '/api/v1/geocode/reverse', showGps = false }: {
  id?: string; value?: LocationValue; onChange?(v: LocationValue | undefined): void; rootCode?: string; gridsUrl?: string | null;
  allowCascader?: boolean; mapOpenByDefault?: boolean; locateUrl?: string;
  /** Reverse geocoding (the full path and the nearest standard address of a picked point); null: none. */
  reverseUrl?: string | null; showGps?: boolean;
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
      const placed: LocationValue = { lat, lng, gridCode: r.gridCode, gridName: r.name ?? r.gridCode };
      onChange?.(placed);
      if (reverseUrl) {
        api<{ address: { label: string } | null; regionPath: PathItem[] }>(`${reverseUrl}?lat=${lat}&lng=${lng}`)
          .then((rev) => onChange?.({ ...placed, path: rev.regionPath, nearest: rev.address?.label }), () => undefined);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) { onChange?.({ lat, lng }); return; } // no lookup service: the server locates on submit
      onChange?.(undefined);
      setError(e instanceof ApiError && e.code === 'outside_area' ? t('location.outside') : t('location.lookupFailed'));
    }
  };

  const [fitMarker, setFitMarker] = useState(false);
  const gps = () => {
    if (!navigator.geolocation) { setError(t('location.noGps')); return; }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      // the map then centres on where the resident stands (zoomed in), not on the whole district
      (p) => { setLocating(false); setFitMarker(true); void pick([p.coords.longitude, p.coords.latitude]); },
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
        {value?.gridCode && !value.path?.length && <Typography.Text data-testid="located-grid" data-lat={value.lat} data-lng={value.lng}>{t('location.inGrid', { grid: value.gridName ?? value.gridCode })}</Typography.Text>}
        {value?.path?.length ? (
          <Typography.Text data-testid="located-grid" data-lat={value.lat} data-lng={value.lng} data-region={value.gridCode ?? value.regionCode}>
            {t(value.byAddress ? 'geo.placedBy' : 'geo.locatedPath', { path: pathText(value.path) })}
            {value.nearest && !value.byAddress ? <Typography.Text type="secondary">{` · ${t('geo.nearest', { address: value.nearest })}`}</Typography.Text> : null}
          </Typography.Text>
        ) : null}
        {value?.lat != null && !value.gridCode && !value.path?.length && <Typography.Text data-testid="located-point">{t('location.picked', { lat: value.lat.toFixed(5), lng: value.lng?.toFixed(5) })}</Typography.Text>}
      </Space>
      {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 8 }} role="alert" />}
      {showMap && (
        <LazyMap ariaLabel={t('location.mapLabel')} grids={grids} fit={fitMarker ? 'marker' : 'grids'} onPick={(at) => { setFitMarker(false); void pick(at); }}
          outlinesUrl={outlinesFor(gridsUrl)} placesUrl={gridsUrl?.startsWith('/api/v1/regions/') ? '/api/v1/addresses' : null}
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

