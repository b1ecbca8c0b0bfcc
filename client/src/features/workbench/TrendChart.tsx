import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardReportWeekDTO } from '../../../../shared/workbench';
import { useI18n } from '../../i18n';

/**
 * The last weeks' daily reports — submitted, late, missing — as lines (uPlot, drawn on a canvas, so
 * Chinese labels need no font of our own). The same numbers are in the table under it, which is
 * what screen readers read: the chart is one image with a name.
 */
export function TrendChart({ trend }: { trend: DashboardReportWeekDTO[] }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const style = getComputedStyle(document.documentElement);
    const color = (name: string) => style.getPropertyValue(name).trim() || '#555';
    const line = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 2, points: { size: 7 } });
    const chart = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
        height: 200,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) && trend[i] ? trend[i].weekStart.slice(5) : '')), incrs: [1] },
          { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        ],
        series: [{}, line(t('reports.cell.submitted'), color('--success')), line(t('reports.cell.late'), color('--warning')), line(t('reports.cell.missing'), color('--danger'))],
      },
      [trend.map((_, i) => i), trend.map((w) => w.totals.submitted), trend.map((w) => w.totals.late), trend.map((w) => w.totals.missing)],
      el,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(el.clientWidth, 240), height: 200 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [trend, t]);
  return <div ref={box} className="dashboard-chart" role="img" aria-label={t('dashboard.reports.chart')} data-testid="dashboard-chart" />;
}
