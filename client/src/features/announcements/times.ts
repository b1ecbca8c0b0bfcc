/** A datetime-local input's value (the browser's zone) for an instant. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant a datetime-local value names in the browser's zone, as ISO 8601. */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}
