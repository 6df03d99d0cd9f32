// The part of autocannon's API the bench uses. TypeScript does not pick up @types/autocannon for
// autocannon 9 here, and these few fields are all that is read.
declare module 'autocannon' {
  interface Options {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string
    connections?: number
    duration?: number
  }
  interface Histogram { p50: number, p99: number, average: number }
  interface Result {
    requests: Histogram & { total: number }
    latency: Histogram
    errors: number
    timeouts: number
    non2xx: number
  }
  function autocannon (opts: Options): Promise<Result>
  export default autocannon
}
