// Lazy entry to the map: MapLibre is downloaded only when a page shows a map.
import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import type { GovMapProps } from './GovMap.tsx';

const GovMap = lazy(() => import('./GovMap.tsx'));
export type { GovMapProps, FC } from './GovMap.tsx';
export { NoGridOutlines } from './NoGridOutlines.tsx';

export function LazyMap(props: GovMapProps) {
  return (
    <Suspense fallback={<div className={`gz-map ${props.className ?? ''}`}><Skeleton.Node active style={{ width: '100%', height: '100%' }} /></div>}>
      <GovMap {...props} />
    </Suspense>
  );
}
