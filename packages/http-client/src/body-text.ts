/** UTF-8 byte-order mark: some servers start a JSON body with it. */
const BOM_0 = 0xef
const BOM_1 = 0xbb
const BOM_2 = 0xbf

/**
 * A whole body as text, decoded as UTF-8 without a leading byte-order mark (as undici's
 * `body.text()` decodes it, so a body that starts with one still parses as JSON).
 */
export function bodyText (body: Buffer): string {
  const bom = body.length >= 3 && body[0] === BOM_0 && body[1] === BOM_1 && body[2] === BOM_2
  return body.toString('utf8', bom ? 3 : 0)
}
