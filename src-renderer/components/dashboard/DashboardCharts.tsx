import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DailyUptime, Outage } from '../../../src-shared/domain/monitoring';
import { ChartCanvas, cssColor } from '../Chart';
import { formatDateTime, formatDayMonth, formatDuration } from '../../format';

export function DailyUptimeChart({ days }: { days: readonly DailyUptime[] }) {
  const { t, i18n } = useTranslation();
  const config = useMemo<ChartConfiguration>(() => {
    const target = days[0]?.targetPercent ?? 95;
    return {
      type: 'bar',
      data: {
        // Local days as the operator writes them (02/11), not ISO months first.
        labels: days.map((d) => formatDayMonth(d.day)),
        datasets: [
          {
            type: 'bar',
            label: t('dashboard.uptime'),
            data: days.map((d) => d.uptimePercent),
            backgroundColor: days.map((d) => cssColor(d.targetMet === false ? '--offline' : '--online')),
          },
          {
            type: 'line',
            label: t('dashboard.target', { target }),
            data: days.map(() => target),
            borderColor: cssColor('--maintenance'),
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { suggestedMin: 80, max: 100, ticks: { color: cssColor('--muted') } },
          x: { ticks: { color: cssColor('--muted') } },
        },
        plugins: { legend: { labels: { color: cssColor('--text') } } },
      },
    };
    // i18n.language: labels are rebuilt when the operator switches language.
  }, [days, t, i18n.language]);
  return <ChartCanvas config={config} label={t('dashboard.uptime30')} testId="uptime-chart" />;
}

/** Outages as floating bars on a time axis that spans exactly the window asked for. */
export function OutageTimeline({ outages, from, to }: { outages: readonly Outage[]; from: number; to: number }) {
  const { t, i18n } = useTranslation();
  const config = useMemo<ChartConfiguration>(() => {
    const devices = [...new Set(outages.map((o) => `${o.deviceName} (${o.areaCode})`))].slice(0, 15);
    const shown = outages.filter((o) => devices.includes(`${o.deviceName} (${o.areaCode})`));
    return {
      type: 'bar',
      data: {
        labels: devices,
        datasets: [
          {
            label: t('dashboard.outages'),
            // Floating bars as {x: [start, end], y: row}: Chart.js parses these objects at run time,
            // but its bar typings only list numbers and [number, number] pairs.
            data: shown.map((o) => ({
              x: [o.startAt, o.endAt],
              y: `${o.deviceName} (${o.areaCode})`,
            })) as unknown as number[],
            backgroundColor: cssColor('--offline'),
            minBarLength: 3,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: 'linear',
            // Without bounds Chart.js starts the axis at 0: 1970.
            min: from,
            max: to,
            ticks: { color: cssColor('--muted'), maxTicksLimit: 8, callback: (value) => formatDateTime(Number(value)) },
          },
          y: { ticks: { color: cssColor('--muted') } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const [start, end] = (item.raw as { x: [number, number] }).x;
                return `${formatDateTime(start)} → ${formatDateTime(end)} (${formatDuration((end - start) / 1000)})`;
              },
            },
          },
        },
      },
    };
  }, [outages, from, to, t, i18n.language]);
  return <ChartCanvas config={config} label={t('dashboard.outages')} testId="outage-chart" />;
}
