import type { ReactNode } from 'react';

/**
 * A labelled form control. `invalid` marks it when the server's error names this field,
 * so the user sees which box to fix next to the message.
 */
export function Field({
  label,
  invalid,
  hint,
  children,
  wide,
}: {
  label: string;
  invalid?: boolean;
  hint?: string | undefined;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <label className={`field${invalid ? ' field-invalid' : ''}${wide ? ' field-wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

/** Does the server-blamed field `blamed` refer to `name` (or something inside it)? */
export function blames(blamed: string | undefined, name: string): boolean {
  if (!blamed) return false;
  return blamed === name || blamed.startsWith(`${name}.`) || blamed.startsWith(`${name}[`);
}
