/**
 * The page's only script: fetch /status.json every `refreshMs` and rebuild the tables with DOM
 * calls and textContent (never innerHTML), the same layout the server renders
 * (render-status-page.ts; provider cell texts as in its providerCells).
 */
export function statusPageScript (refreshMs: number): string {
  return `
(function () {
  function el (tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n }
  function td (tr, cls, text) { tr.appendChild(el('td', cls, text)) }
  function state (tr, cls, text) { var c = el('td', 'state'); c.appendChild(el('span', cls, text)); tr.appendChild(c) }
  function render (s) {
    var overall = document.getElementById('overall'); overall.textContent = s.overall; overall.className = 'overall ' + s.overall
    document.getElementById('updated').textContent = s.generatedAt
    document.getElementById('reasons').textContent = s.reasons.join(' · ')
    var body = document.getElementById('deps'); body.replaceChildren()
    s.dependencies.forEach(function (d) {
      var tr = el('tr'); tr.dataset.name = d.name
      td(tr, '', d.name)
      state(tr, d.ok ? 'up' : 'down', d.ok ? 'up' : 'down')
      td(tr, '', d.latencyMs + ' ms')
      td(tr, '', d.since)
      td(tr, 'err', d.lastError ? d.lastError.message + ' (' + d.lastError.at + ')' : '')
      var tl = el('div', 'timeline')
      s.history.forEach(function (r) {
        var res = r.results[d.name]; var i = el('i', res ? (res.ok ? 'up' : 'down') : '')
        if (!res) i.style.background = '#d0d7de'; else i.title = r.at + ' ' + (res.ok ? 'up' : 'down') + ' ' + res.latencyMs + ' ms'
        tl.appendChild(i)
      })
      var cell = el('td'); cell.appendChild(tl); tr.appendChild(cell)
      body.appendChild(tr)
    })
    var providers = document.getElementById('providers'); providers.replaceChildren()
    s.providers.forEach(function (p) {
      var tr = el('tr'); tr.dataset.provider = p.id
      td(tr, '', p.id + ' (' + p.kind + (p.optional ? ', optional' : '') + ')')
      state(tr, p.state, p.state)
      td(tr, '', p.latencyMs === null ? '' : p.latencyMs + ' ms')
      td(tr, '', p.since || '')
      td(tr, 'err probe-error', p.error ? p.error.code + ': ' + p.error.message : '')
      td(tr, '', p.requests + ' calls, ' + Math.round(p.errorRate * 1000) / 10 + '% failed')
      td(tr, 'err last-error', p.lastError ? p.lastError.code + ': ' + p.lastError.message + ' (' + p.lastError.at + ')' : '')
      td(tr, 'cooldowns', p.cooldowns.map(function (c) { return c.deployment + ' until ' + (c.until || '?') + (c.reason ? ' (' + c.reason + ')' : '') }).join('; '))
      providers.appendChild(tr)
    })
    var errors = document.getElementById('errors'); errors.replaceChildren()
    s.errorGroups.forEach(function (g) {
      var tr = el('tr')
      td(tr, '', g.code); td(tr, '', g.provider || ''); td(tr, '', String(g.count)); td(tr, '', g.firstSeen); td(tr, '', g.lastSeen); td(tr, 'err', g.message)
      errors.appendChild(tr)
    })
  }
  function refresh () {
    fetch('status.json', { cache: 'no-store' }).then(function (r) { return r.json() }).then(render, function () {
      var overall = document.getElementById('overall'); overall.textContent = 'status service unreachable'; overall.className = 'overall unhealthy'
    })
  }
  setInterval(refresh, ${Math.max(500, Math.floor(refreshMs))})
})()`
}
