// ECharts with only the pieces the console uses (tree-shaken), loaded lazily with the dashboard.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartProps } from './index.tsx';

echarts.use([BarChart, LineChart, PieChart, AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, TitleComponent, CanvasRenderer]);

export default function EChart({ option, height = 280, dark, ariaLabel, onClick }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p: any) => click.current?.(p));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => { ro.disconnect(); c.dispose(); chart.current = null; };
  }, [dark]);
  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, backgroundColor: 'transparent', ...option }, true);
  }, [option, dark]);
  return <div ref={el} style={{ width: '100%', height }} role="img" aria-label={ariaLabel} data-testid="chart" />;
}
