export { bodyText } from './body-text.js'
export { requestWhole, type WholeRequest, type WholeResponse } from './request-whole.js'
export { requestStream, ResponseBody, type StreamRequest, type StreamResponse } from './request-stream.js'
