/**
 * Plain-text tables: columns padded to their widest cell, three spaces apart (podman's look).
 *
 * @module
 */

/** Render rows (the first is the header) as aligned columns. */
export function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  }
  return rows.map((row) =>
    row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i] + 2)).join(" ")
      .trimEnd() + "\n"
  ).join("");
}

/** Render tab-separated lines as aligned columns (for `table` templates). */
export function alignTabs(lines: string[]): string {
  return renderTable(lines.map((l) => l.split("\t")));
}

/** "3 seconds", "About a minute", "2 hours", "3 weeks": docker's human durations. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 1) return "Less than a second";
  if (s === 1) return "1 second";
  if (s < 60) return `${s} seconds`;
  const m = Math.round(s / 60);
  if (m === 1) return "About a minute";
  if (m < 60) return `${m} minutes`;
  const h = Math.round(m / 60);
  if (h === 1) return "About an hour";
  if (h < 48) return `${h} hours`;
  // go-units' HumanDuration, as podman prints it: days, weeks, months, then years.
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}
