import { MetricsBuffer, type BufferedMetricUpdate } from '@temporalio/worker';

// Temporal Core's metrics of an in-process worker, kept in this process and written in the
// Prometheus text format, so the API's /metrics serves them without a second port.

/** Milliseconds, like Core's own Prometheus exporter (the separate worker), from poll to long replay. */
const BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000];

interface Series {
  labels: string;
  value: number;
  buckets?: number[];
  sum?: number;
}

interface Family {
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  series: Map<string, Series>;
}

export interface RuntimeMetrics {
  /** Give to the Temporal Runtime as `telemetryOptions.metrics.buffer`. */
  buffer: MetricsBuffer;
  /** Everything recorded so far, in the Prometheus text exposition format. */
  render(): string;
  /** Stops draining the buffer on a timer. */
  close(): void;
}

export function createRuntimeMetrics(drainEveryMs = 1_000): RuntimeMetrics {
  const buffer = new MetricsBuffer({ maxBufferSize: 50_000 });
  const families = new Map<string, Family>();
  const drain = () => {
    // Not bound until the Runtime is installed with it; nothing has been recorded before.
    try {
      for (const update of buffer.retrieveUpdates()) record(families, update);
    } catch {
      return;
    }
  };
  // Core drops updates once the buffer is full, so it is emptied between scrapes too.
  const timer = setInterval(drain, drainEveryMs);
  timer.unref();
  return {
    buffer,
    render: () => {
      drain();
      return renderFamilies(families);
    },
    close: () => clearInterval(timer),
  };
}

function record(families: Map<string, Family>, { metric, value, attributes }: BufferedMetricUpdate): void {
  const type = metric.kind === 'histogram' ? 'histogram' : metric.kind === 'counter' ? 'counter' : 'gauge';
  let family = families.get(metric.name);
  if (!family) {
    family = { type, help: metric.description ?? metric.name, series: new Map() };
    families.set(metric.name, family);
  }
  const labels = labelText(attributes);
  let series = family.series.get(labels);
  if (!series) {
    series = { labels, value: 0, ...(type === 'histogram' ? { buckets: BUCKETS.map(() => 0), sum: 0 } : {}) };
    family.series.set(labels, series);
  }
  if (metric.kind === 'gauge') series.value = value;
  else if (metric.kind === 'histogram') {
    series.value += 1;
    series.sum! += value;
    BUCKETS.forEach((bound, i) => {
      if (value <= bound) series.buckets![i] += 1;
    });
  } else series.value += value; // counters and up-down counters report deltas
}

function renderFamilies(families: Map<string, Family>): string {
  const lines: string[] = [];
  for (const [name, family] of families) {
    lines.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${name} ${family.type}`);
    for (const series of family.series.values()) {
      if (family.type !== 'histogram') {
        lines.push(`${name}${braces(series.labels)} ${series.value}`);
        continue;
      }
      BUCKETS.forEach((bound, i) =>
        lines.push(`${name}_bucket${braces(series.labels, `le="${bound}"`)} ${series.buckets![i]}`),
      );
      lines.push(`${name}_bucket${braces(series.labels, 'le="+Inf"')} ${series.value}`);
      lines.push(`${name}_sum${braces(series.labels)} ${series.sum}`);
      lines.push(`${name}_count${braces(series.labels)} ${series.value}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function labelText(attributes: Record<string, string | number | boolean>): string {
  return Object.keys(attributes)
    .sort()
    .map((key) => `${key.replace(/[^a-zA-Z0-9_]/g, '_')}="${escapeLabel(String(attributes[key]))}"`)
    .join(',');
}

const escapeLabel = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const braces = (...parts: string[]) => {
  const inner = parts.filter(Boolean).join(',');
  return inner ? `{${inner}}` : '';
};
