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
