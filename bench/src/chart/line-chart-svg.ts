/** One line of a chart: a name and its points (x in ms since the start, y in the panel's unit). */
export interface Series { name: string, points: Array<[number, number]> }
export interface Panel { title: string, unit: string, series: Series[] }

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e']
const W = 900
const PANEL_H = 260
const M = { left: 70, right: 170, top: 36, bottom: 40 }

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

function panelSvg (panel: Panel, top: number): string {
  const all = panel.series.flatMap((s) => s.points)
  const maxX = Math.max(1, ...all.map(([x]) => x))
  const maxY = Math.max(1e-9, ...all.map(([, y]) => y)) * 1.1
  const x = (v: number) => M.left + (v / maxX) * (W - M.left - M.right)
  const y = (v: number) => top + M.top + (1 - v / maxY) * (PANEL_H - M.top - M.bottom)
  const parts = [`<text x="${M.left}" y="${top + 22}" font-size="15" font-weight="bold">${esc(panel.title)}</text>`]
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`)
  }
  for (let i = 0; i <= 5; i++) {
    const v = (maxX / 5) * i
    parts.push(`<text x="${x(v)}" y="${top + PANEL_H - M.bottom + 16}" font-size="11" text-anchor="middle">${(v / 60_000).toFixed(1)} min</text>`)
  }
  parts.push(`<text x="14" y="${top + PANEL_H / 2}" font-size="11" transform="rotate(-90 14 ${top + PANEL_H / 2})">${esc(panel.unit)}</text>`)
  panel.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] ?? '#000'
    const d = s.points.map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      `<rect x="${W - M.right + 14}" y="${top + M.top + i * 20}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${W - M.right + 32}" y="${top + M.top + i * 20 + 11}" font-size="12">${esc(s.name)}</text>`)
  })
  return parts.join('')
}

/** Stacked line-chart panels as one self-contained SVG (no fonts or scripts to fetch). */
export function lineChartSvg (title: string, panels: Panel[]): string {
  const h = 40 + panels.length * PANEL_H
  const body = panels.map((p, i) => panelSvg(p, 40 + i * PANEL_H)).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/><text x="${W / 2}" y="24" font-size="17" text-anchor="middle">${esc(title)}</text>${body}</svg>`
}
