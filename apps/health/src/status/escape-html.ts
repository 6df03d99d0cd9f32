const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML content and quoted attributes: error messages must never become markup. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c)
}
