/** The `data:` payloads of an SSE transcript, in order ("[DONE]" included as is). */
export function sseData (transcript: string): string[] {
  return transcript
    .split(/\r?\n\r?\n/)
    .map((event) => event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n'))
    .filter((data) => data !== '')
}
