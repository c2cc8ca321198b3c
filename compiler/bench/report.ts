// Benchmark output: plain-text tables and a hand-rolled SVG bar chart (no dependencies), so a
// user can open the chart in any browser.

/** Left-aligned first column, right-aligned others, two spaces between columns. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

export function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

export function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a";
}

export interface ChartGroup {
  label: string;
  bars: Array<{ series: string; value: number }>;
}

export interface Chart {
  title: string;
  subtitle?: string;
  unit: string;
  groups: ChartGroup[];
}

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A grouped vertical bar chart; one color per series name (in order of first appearance). */
export function barChartSvg(c: Chart): string {
  const series: string[] = [];
  for (const g of c.groups) for (const b of g.bars) if (!series.includes(b.series)) series.push(b.series);
  const values = c.groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const max = Math.max(1e-9, ...values);
  const barW = 22;
  const gap = 26;
  const groupW = series.length * barW + gap;
  const left = 60;
  const top = 64;
  const plotH = 260;
  const width = Math.max(480, left + c.groups.length * groupW + 20);
  const height = top + plotH + 70 + 18 * Math.ceil(series.length / 3);
  const y = (v: number): number => top + plotH - (Math.max(0, v) / max) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(c.title)}</text>`,
  ];
  if (c.subtitle) out.push(`<text x="${left}" y="40" fill="#555">${esc(c.subtitle)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const yy = y(v);
    out.push(
      `<line x1="${left}" y1="${yy.toFixed(1)}" x2="${width - 10}" y2="${yy.toFixed(1)}" stroke="#ddd"/>`,
    );
    out.push(
      `<text x="${left - 6}" y="${(yy + 4).toFixed(1)}" text-anchor="end">${v.toFixed(v >= 10 ? 0 : 1)}</text>`,
    );
  }
  out.push(
    `<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${esc(c.unit)}</text>`,
  );
  c.groups.forEach((g, gi) => {
    const x0 = left + gap / 2 + gi * groupW;
    g.bars.forEach((b) => {
      const si = series.indexOf(b.series);
      const x = x0 + si * barW;
      const v = Number.isFinite(b.value) ? b.value : 0;
      const yy = y(v);
      out.push(
        `<rect x="${x}" y="${yy.toFixed(1)}" width="${barW - 2}" height="${(top + plotH - yy).toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${g.label} ${b.series}: ${fmt(b.value)} ${c.unit}`)}</title></rect>`,
      );
      out.push(
        `<text x="${x + (barW - 2) / 2}" y="${(yy - 3).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(b.value, 0)}</text>`,
      );
    });
    out.push(
      `<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${esc(g.label)}</text>`,
    );
  });
  out.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#333"/>`);
  series.forEach((s, i) => {
    const lx = left + (i % 3) * 200;
    const ly = top + plotH + 40 + 18 * Math.floor(i / 3);
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly}">${esc(s)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
