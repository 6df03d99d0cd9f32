import { escapeHtml as e } from './escape-html.js'
import { statusPageScript } from './status-page-script.js'
import type { StatusSnapshot } from './status-snapshot.js'

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:20px 0 6px} .meta{color:#57606a;margin-bottom:16px}
.overall{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
.healthy,.up{background:#1a7f37} .unhealthy,.down{background:#cf222e} .degraded{background:#9a6700} .unknown{background:#6e7781}
table{border-collapse:collapse;background:#fff;width:100%;max-width:1100px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d0d7de;vertical-align:top}
td.state span{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600}
.timeline{display:flex;gap:2px} .timeline i{display:inline-block;width:6px;height:16px;border-radius:1px}
.err{color:#cf222e;font-family:ui-monospace,monospace;font-size:12px} .muted{color:#57606a}`

type Dependency = StatusSnapshot['dependencies'][number]
type Provider = StatusSnapshot['providers'][number]
type ErrorGroup = StatusSnapshot['errorGroups'][number]

function row (d: Dependency, history: StatusSnapshot['history']): string {
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

/** The texts of a provider row's cells; the page script builds the same ones (see status-page-script.ts). */
export function providerCells (p: Provider): { name: string, latency: string, since: string, probeError: string, traffic: string, lastError: string, cooldowns: string } {
  return {
    name: `${p.id} (${p.kind}${p.optional ? ', optional' : ''})`,
    latency: p.latencyMs === null ? '' : `${p.latencyMs} ms`,
    since: p.since ?? '',
    probeError: p.error === null ? '' : `${p.error.code}: ${p.error.message}`,
    traffic: `${p.requests} calls, ${Math.round(p.errorRate * 1000) / 10}% failed`,
    lastError: p.lastError === null ? '' : `${p.lastError.code}: ${p.lastError.message} (${p.lastError.at})`,
    cooldowns: p.cooldowns.map((c) => `${c.deployment} until ${c.until ?? '?'}${c.reason === null ? '' : ` (${c.reason})`}`).join('; ')
  }
}

function providerRow (p: Provider): string {
  const c = providerCells(p)
  return `<tr data-provider="${e(p.id)}"><td>${e(c.name)}</td>` +
    `<td class="state"><span class="${p.state}">${p.state}</span></td>` +
    `<td>${e(c.latency)}</td><td>${e(c.since)}</td><td class="err probe-error">${e(c.probeError)}</td>` +
    `<td>${e(c.traffic)}</td><td class="err last-error">${e(c.lastError)}</td><td class="cooldowns">${e(c.cooldowns)}</td></tr>`
}

function errorGroupRow (g: ErrorGroup): string {
  return `<tr><td>${e(g.code)}</td><td>${e(g.provider ?? '')}</td><td>${g.count}</td><td>${e(g.firstSeen)}</td><td>${e(g.lastSeen)}</td><td class="err">${e(g.message)}</td></tr>`
}

/**
 * The status page: plain server-rendered HTML (every dynamic string escaped) and a small script
 * that re-renders it from /status.json every `refreshMs` with textContent and DOM nodes only, so
 * no text from a probe or a provider (an error message, a name) can become markup.
 */
export function renderStatusPage (snap: StatusSnapshot, refreshMs: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchyard status</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<h1>Switchyard status <span id="overall" class="overall ${snap.overall}">${snap.overall}</span></h1>
<div class="meta">version ${e(snap.version)} · updated <span id="updated">${e(snap.generatedAt)}</span> · refreshes every ${Math.round(refreshMs / 1000)} s</div>
<div id="reasons" class="muted">${e(snap.reasons.join(' · '))}</div>
<h2>Dependencies</h2>
<table><thead><tr><th>dependency</th><th>state</th><th>latency</th><th>since</th><th>last error</th><th>recent probe rounds (oldest first)</th></tr></thead>
<tbody id="deps">${snap.dependencies.map((d) => row(d, snap.history)).join('')}</tbody></table>
<h2>Providers (as the router last probed them)</h2>
<table><thead><tr><th>provider</th><th>state</th><th>latency</th><th>since</th><th>probe error</th><th>traffic (5 min)</th><th>last error in traffic</th><th>cooling down</th></tr></thead>
<tbody id="providers">${snap.providers.map(providerRow).join('')}</tbody></table>
<h2>Recent upstream errors</h2>
<table><thead><tr><th>code</th><th>provider</th><th>count</th><th>first seen</th><th>last seen</th><th>message</th></tr></thead>
<tbody id="errors">${snap.errorGroups.map(errorGroupRow).join('')}</tbody></table>
<script>${statusPageScript(refreshMs)}</script></body></html>`
}
