/** Fixed secrets for tests (never used outside them). */
export const INTERNAL_TOKEN = 'test-internal-token-0123456789'
export const ADMIN_TOKEN = 'test-admin-token-0123456789'
