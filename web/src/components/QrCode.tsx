import { create } from 'qrcode';
import { useMemo } from 'react';

/** The dark modules of a QR code as [row, col] pairs, with its size (no quiet zone). */
export function qrModules(text: string): { size: number; dark: Array<[number, number]> } {
  const m = create(text, { errorCorrectionLevel: 'M' }).modules;
  const dark: Array<[number, number]> = [];
  for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.get(r, c)) dark.push([r, c]);
  return { size: m.size, dark };
}

/**
 * A QR code drawn as one SVG path, in the browser: crisp at any size, no image request, and
 * the same modules can be painted onto a canvas for a poster (see drawQr).
 */
export function QrCode({ text, size = 200, label, testId }: { text: string; size?: number; label: string; testId?: string }) {
  const { n, d } = useMemo(() => {
    const q = qrModules(text);
    return { n: q.size + 4, d: q.dark.map(([r, c]) => `M${c + 2} ${r + 2}h1v1h-1z`).join('') };
  }, [text]);
  return (
    <svg
      className="qr"
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-qr={text}
      shapeRendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#1f2a24" />
    </svg>
  );
}

/** Paint a QR code with a 2-module quiet zone into the square (x, y, size) of a canvas. */
export function drawQr(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, size: number): void {
  const q = qrModules(text);
  const cell = size / (q.size + 4);
  ctx.fillStyle = '#fff';
  ctx.fillRect(x, y, size, size);
  ctx.fillStyle = '#1f2a24';
  for (const [r, c] of q.dark) ctx.fillRect(x + (c + 2) * cell, y + (r + 2) * cell, Math.ceil(cell), Math.ceil(cell));
}
