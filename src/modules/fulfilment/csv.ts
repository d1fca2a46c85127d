// CSV for spreadsheets: a UTF-8 byte-order mark so Excel reads the Chinese names as UTF-8
// rather than the system code page, CRLF line ends, and quoting only where needed.

const BOM = '\uFEFF';

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  // A text cell that starts like a formula would run as one in Excel (supplier and point
  // names come from outside): a leading apostrophe keeps it text.
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const lines = [header.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
