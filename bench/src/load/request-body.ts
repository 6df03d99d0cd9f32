/** The completion every scenario sends: small, so the gateway's own cost dominates. */
export function completionBody (stream: boolean): string {
  return JSON.stringify({
    model: 'mock-gpt',
    stream,
    messages: [{ role: 'user', content: 'benchmark me please' }]
  })
}
