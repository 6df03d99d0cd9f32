/**
 * A Postgres array literal (`{"a","b",NULL}`) for a one-dimensional array, passed as ONE text
 * parameter and cast in SQL (`$1::text[]`): both drivers (postgres.js, PGlite) send it as a plain
 * string, where their handling of JS arrays as parameters differs. Every element is quoted, with
 * `\` and `"` escaped, so no value can end its element or the array early; null is NULL.
 */
export function pgArrayLiteral (values: ReadonlyArray<string | number | boolean | Date | null | undefined>): string {
  let out = '{'
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ','
    const v = values[i]
    if (v === null || v === undefined) {
      out += 'NULL'
      continue
    }
    const text = v instanceof Date ? v.toISOString() : String(v)
    out += '"' + text.replace(/[\\"]/g, '\\$&') + '"'
  }
  return out + '}'
}
