import { escapeHtml as e } from './escape-html.js'
import { statusPageScript } from './status-page-script.js'
import type { StatusSnapshot } from './status-snapshot.js'

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px} .meta{color:#57606a;margin-bottom:16px}
.overall{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.healthy,.up{background:#1a7f37} .unhealthy,.down{background:#cf222e}
table{border-collapse:collapse;background:#fff;width:100%;max-width:1100px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d0d7de;vertical-align:top}
td.state span{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600}
.timeline{display:flex;gap:2px} .timeline i{display:inline-block;width:6px;height:16px;border-radius:1px}
.err{color:#cf222e;font-family:ui-monospace,monospace;font-size:12px}`

function row (d: StatusSnapshot['dependencies'][number], history: StatusSnapshot['history']): string {
  const cells = history.map((r) => {
    const result = r.results[d.name]
    if (result === undefined) return '<i style="background:#d0d7de"></i>'
    return `<i class="${result.ok ? 'up' : 'down'}" title="${e(`${r.at} ${result.ok ? 'up' : 'down'} ${result.latencyMs} ms`)}"></i>`
  }).join('')
  return `<tr data-name="${e(d.name)}"><td>${e(d.name)}</td>` +
    `<td class="state"><span class="${d.ok ? 'up' : 'down'}">${d.ok ? 'up' : 'down'}</span></td>` +
    `<td>${d.latencyMs} ms</td><td>${e(d.since)}</td>` +
    `<td class="err">${d.lastError === undefined ? '' : e(`${d.lastError.message} (${d.lastError.at})`)}</td>` +
    `<td><div class="timeline">${cells}</div></td></tr>`
}

/**
 * The status page: plain server-rendered HTML (every dynamic string escaped) and a small script
 * that re-renders it from /status.json every `refreshMs` with textContent and DOM nodes only, so
 * no text from a probe (an error message, a name) can become markup.
 */
export function renderStatusPage (snap: StatusSnapshot, refreshMs: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchyard status</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<h1>Switchyard status <span id="overall" class="overall ${snap.overall}">${snap.overall}</span></h1>
<div class="meta">version ${e(snap.version)} · updated <span id="updated">${e(snap.generatedAt)}</span> · refreshes every ${Math.round(refreshMs / 1000)} s</div>
<table><thead><tr><th>dependency</th><th>state</th><th>latency</th><th>since</th><th>last error</th><th>recent probe rounds (oldest first)</th></tr></thead>
<tbody id="deps">${snap.dependencies.map((d) => row(d, snap.history)).join('')}</tbody></table>
<script>${statusPageScript(refreshMs)}</script></body></html>`
}
