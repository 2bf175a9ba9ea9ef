import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';

/** `height`: pixels, or a CSS length such as '100%' (of a container with a definite height). */
export interface EChartProps { option: Record<string, unknown>; height?: number | string; dark?: boolean; ariaLabel: string; onClick?(params: any): void }

const EChart = lazy(() => import('./EChart.tsx'));

export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 5 }} />}>
      <EChart {...props} />
    </Suspense>
  );
}
