// ECharts, tree-shaken: the core, the canvas renderer and the components every chart
// here uses. Each chart component registers the chart types it draws itself
// (`use([BarChart])`), so the bundle holds only what is drawn.
import { use } from 'echarts/core';
import { GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([CanvasRenderer, GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent]);

export { init, use, type ComposeOption, type EChartsCoreOption, type EChartsType } from 'echarts/core';
export type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';

/** Chart colours and type, matching the CSS variables in styles/global.css (canvas cannot read CSS). */
export const chartTheme = {
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  text: '#1f2a37',
  mutedText: '#5b6776',
  axisLine: '#c9d1db',
  splitLine: '#e7ebf0',
  series: {
    revenue: '#9cc3e6',
    grossMargin: '#124e78',
    grossMarginPct: '#d1793b',
    contributionMargin: '#2f7d5b',
    loss: '#b8423a',
  },
  /** Diverging scale for margins: losses red, zero pale, profits blue. */
  diverging: ['#b8423a', '#f3c2b8', '#f4f6f8', '#a9cbe8', '#124e78'],
} as const;
