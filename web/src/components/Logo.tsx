/** Two roofs side by side: neighbours. Drawn inline so the app needs no image files. */
export function Logo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" className="logo">
      <rect width="48" height="48" rx="12" fill="var(--green-600)" />
      <path d="M8 26 L18 16 L28 26 V36 H8 Z" fill="#fff" />
      <path d="M22 24 L31 15 L40 24 V36 H26" fill="var(--orange-400)" />
      <rect x="15" y="28" width="6" height="8" rx="1" fill="var(--green-600)" />
    </svg>
  );
}
