// The multi-market part of a run report (README "Several markets"): each market's index relative to
// its start and its cumulative liquidations, where contagion across markets shows. Reads the parsed
// timeline's `<market>.` columns only; knows nothing of how the markets were simulated.
import { columnNumbers, type CsvTable } from '../csv-read.js';
import { chartSvg, type ChartSpec, type Series } from './svg-chart.js';
import { OKABE_ITO as C } from './svg.js';

/** What the market charts share with the run's other time charts: the x axis, markers and bands. */
export type TimeChartBase = Pick<ChartSpec, 'x' | 'xLabel' | 'xUnit' | 'markers' | 'bands' | 'bandName'>;

/**
 * The two market charts of a multi-market run (timeline columns `<market>.liquidations` and
 * `<market>.index_price_usd` for at least two markets); [] for a run of one market.
 */
export function marketChartsSvg(tl: CsvTable, base: TimeChartBase): string[] {
  const col = (name: string) => columnNumbers(tl, name);
  const has = (name: string) => tl.header.includes(name);
  const marketNames = tl.header
    .filter((h) => h.endsWith('.liquidations'))
    .map((h) => h.slice(0, -'.liquidations'.length));
  const palette = [C.blue, C.vermillion, C.green, C.orange, C.purple, C.skyBlue, C.black];
  const dashes = [undefined, '7 4', '2 3', '9 3 2 3', '4 4', '1 2', '12 4'];
  const marketSeries = (make: (name: string) => number[], unitText: (v: number) => string) =>
    marketNames.map((name, k): Series => {
      const values = make(name);
      return {
        kind: 'line',
        name,
        column: name,
        values,
        text: values.map(unitText),
        color: palette[k % palette.length],
        dash: dashes[k % dashes.length],
        width: 2,
      };
    });
  if (!(marketNames.length > 1 && marketNames.every((n) => has(`${n}.index_price_usd`)))) return [];
  const relative = marketSeries(
    (n) => {
      const v = col(`${n}.index_price_usd`);
      return v.map((x) => (100 * x) / v[0] - 100);
    },
    (v) => v.toFixed(2),
  );
  const cumulative = marketSeries(
    (n) => {
      let sum = 0;
      return col(`${n}.liquidations`).map((x) => (sum += x));
    },
    (v) => String(v),
  );
  return [
    chartSvg({
      ...base,
      id: 'chart-market-index',
      title: 'Index by market, change since the start',
      yLabel: 'index change (%)',
      yUnit: 'plain',
      series: relative,
    }),
    chartSvg({
      ...base,
      id: 'chart-market-liquidations',
      title: 'Liquidations by market (cumulative)',
      yLabel: 'liquidations (count)',
      yUnit: 'count',
      yFromZero: true,
      series: cumulative,
    }),
  ];
}
