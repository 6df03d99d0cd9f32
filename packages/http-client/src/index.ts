export { requestWhole, type WholeRequest, type WholeResponse } from './request-whole.js'
