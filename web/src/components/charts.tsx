// Two small SVG charts (lines over weeks, horizontal bars) for the operator pages. A charting
// library would be the operator bundle's largest dependency for a handful of points.

export interface Series {
  key: string;
  name: string;
  color: string;
  values: Array<number | null>;
}

/** 0..max rounded up to 1, 2 or 5 × 10^k so gridlines fall on round numbers. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (max <= m * p) return m * p;
  return 10 * p;
}

export function LineChart({
  labels,
  series,
  format = String,
  height = 220,
  max,
  testId,
}: {
  labels: string[];
  series: Series[];
  format?: (v: number) => string;
  height?: number;
  /** Fix the top of the axis (e.g. 100% for rates); otherwise the data decides. */
  max?: number;
  testId?: string;
}) {
  const W = 600;
  const H = height;
  const pad = { l: 52, r: 12, t: 12, b: 28 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = max ?? niceMax(Math.max(0, ...all));
  const x = (i: number) => pad.l + (labels.length <= 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (labels.length - 1));
  const y = (v: number) => pad.t + (1 - v / top) * (H - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={pad.l - 6} y={y(v)} dy="0.32em" className="chart-axis" textAnchor="end">
              {format(v)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % every === 0 || i === labels.length - 1 ? (
            <text key={l + i} x={x(i)} y={H - 8} className="chart-axis" textAnchor="middle">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s) => {
          const pts = s.values.map((v, i) => (v === null ? null : { x: x(i), y: y(v), v }));
          const d = pts.reduce((acc, p, i) => (p ? `${acc}${acc && pts[i - 1] ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}` : acc), '');
          return (
            <g key={s.key} data-series={s.key}>
              <path d={d} fill="none" stroke={s.color} strokeWidth={2.2} />
              {pts.map((p, i) =>
                p ? (
                  <circle key={i} cx={p.x} cy={p.y} r={3.2} fill="#fff" stroke={s.color} strokeWidth={2}>
                    <title>{`${labels[i]} · ${s.name}: ${format(p.v)}`}</title>
                  </circle>
                ) : null,
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function BarChart({
  items,
  format = String,
  testId,
}: {
  items: Array<{ key: string; label: string; value: number; color?: string }>;
  format?: (v: number) => string;
  testId?: string;
}) {
  const top = Math.max(1, ...items.map((i) => i.value));
  return (
    <div className="bar-chart" data-testid={testId}>
      {items.map((i) => (
        <div key={i.key} className="bar-row">
          <span className="bar-label">{i.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(i.value / top) * 100}%`, background: i.color ?? 'var(--green-600)' }} />
          </span>
          <span className="bar-value">{format(i.value)}</span>
        </div>
      ))}
    </div>
  );
}

/** Bars per label with stacked parts (e.g. counter + online takings per day). */
export function StackedBarChart({
  labels,
  series,
  format = String,
  height = 200,
  testId,
}: {
  labels: string[];
  series: Series[];
  format?: (v: number) => string;
  height?: number;
  testId?: string;
}) {
  const W = 600;
  const H = height;
  const pad = { l: 52, r: 12, t: 12, b: 28 };
  const sums = labels.map((_, i) => series.reduce((s, x) => s + Math.max(0, x.values[i] ?? 0), 0));
  const top = niceMax(Math.max(0, ...sums));
  const slot = (W - pad.l - pad.r) / Math.max(1, labels.length);
  const bw = Math.max(4, Math.min(36, slot * 0.64));
  const y = (v: number) => pad.t + (1 - v / top) * (H - pad.t - pad.b);
  const ticks = [0, 0.5, 1].map((f) => f * top);
  const every = Math.max(1, Math.ceil(labels.length / 10));
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="chart-svg" role="img">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} className="chart-grid" />
            <text x={pad.l - 6} y={y(v)} dy="0.32em" className="chart-axis" textAnchor="end">
              {format(v)}
            </text>
          </g>
        ))}
        {labels.map((l, i) => {
          const x = pad.l + i * slot + (slot - bw) / 2;
          let base = 0;
          return (
            <g key={l + i}>
              {series.map((s) => {
                const v = Math.max(0, s.values[i] ?? 0);
                const y0 = y(base);
                base += v;
                const y1 = y(base);
                return v > 0 ? (
                  <rect key={s.key} x={x} y={y1} width={bw} height={Math.max(0.5, y0 - y1)} fill={s.color} rx={1.5}>
                    <title>{`${l} · ${s.name}: ${format(v)}`}</title>
                  </rect>
                ) : null;
              })}
              {(i % every === 0 || i === labels.length - 1) && (
                <text x={x + bw / 2} y={H - 8} className="chart-axis" textAnchor="middle">
                  {l}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
