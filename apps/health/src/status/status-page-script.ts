/**
 * The page's only script: fetch /status.json every `refreshMs` and rebuild the table with DOM
 * calls and textContent (never innerHTML), the same layout the server renders.
 */
export function statusPageScript (refreshMs: number): string {
  return `
(function () {
  function el (tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n }
  function render (s) {
    var overall = document.getElementById('overall'); overall.textContent = s.overall; overall.className = 'overall ' + s.overall
    document.getElementById('updated').textContent = s.generatedAt
    var body = document.getElementById('deps'); body.replaceChildren()
    s.dependencies.forEach(function (d) {
      var tr = el('tr'); tr.dataset.name = d.name
      tr.appendChild(el('td', '', d.name))
      var state = el('td', 'state'); state.appendChild(el('span', d.ok ? 'up' : 'down', d.ok ? 'up' : 'down')); tr.appendChild(state)
      tr.appendChild(el('td', '', d.latencyMs + ' ms'))
      tr.appendChild(el('td', '', d.since))
      tr.appendChild(el('td', 'err', d.lastError ? d.lastError.message + ' (' + d.lastError.at + ')' : ''))
      var tl = el('div', 'timeline')
      s.history.forEach(function (r) {
        var res = r.results[d.name]; var i = el('i', res ? (res.ok ? 'up' : 'down') : '')
        if (!res) i.style.background = '#d0d7de'; else i.title = r.at + ' ' + (res.ok ? 'up' : 'down') + ' ' + res.latencyMs + ' ms'
        tl.appendChild(i)
      })
      var cell = el('td'); cell.appendChild(tl); tr.appendChild(cell)
      body.appendChild(tr)
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
