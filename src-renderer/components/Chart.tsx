import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the screens draw, so the bundle carries no unused chart types.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
  Filler,
);

/** A Chart.js canvas that is rebuilt when its configuration changes and destroyed with the component. */
export function ChartCanvas({ config, label, testId }: { config: ChartConfiguration; label: string; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    // What the canvas draws, readable by tests and assistive tools: its labels and its time span.
    canvas.current.dataset.labels = JSON.stringify(chart.data.labels ?? []);
    const x = chart.scales.x;
    if (x) {
      canvas.current.dataset.xMin = String(x.min);
      canvas.current.dataset.xMax = String(x.max);
    }
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}

/** Theme colours live in CSS variables; charts read them so both themes stay legible. */
export function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
