import type { ErrorSpec } from '../types.js'

// The operator-facing admin API and CLI (plans, users, keys). Clients of /v1 never see these.
export const adminErrors = {
  PLAN_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No plan "{plan}".',
    hint: 'The plan id or name does not exist. List plans with GET /v1/admin/plans or `pnpm switchyard plans:list`.',
    retryable: false
  },
  USER_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No user "{user}".',
    hint: 'The user id (or, in the CLI, email) does not exist. List users with GET /v1/admin/users or `pnpm switchyard users:list`.',
    retryable: false
  },
  API_KEY_NOT_FOUND: {
    status: 404,
    type: 'not_found_error',
    message: 'No API key "{id}" for this user.',
    hint: 'The key id does not exist or belongs to another user. List the user\'s keys with GET /v1/admin/users/{id}/keys.',
    retryable: false
  },
  PLAN_IN_USE: {
    status: 409,
    type: 'invalid_request_error',
    message: 'The plan "{plan}" cannot be deleted: {users} user(s) are on it.',
    hint: 'Move its users to another plan first (PATCH /v1/admin/users/{id} with "plan"), then delete it.',
    retryable: false
  },
  PLAN_NAME_TAKEN: {
    status: 409,
    type: 'invalid_request_error',
    message: 'A plan named "{name}" already exists.',
    hint: 'Plan names are unique. Pick another name or update the existing plan.',
    retryable: false
  },
  USER_EMAIL_TAKEN: {
    status: 409,
    type: 'invalid_request_error',
    message: 'A user with the email "{email}" already exists.',
    hint: 'Emails are unique (compared in lower case). Update the existing user instead.',
    retryable: false
  },
  DEFAULT_RESOURCE_PROTECTED: {
    status: 409,
    type: 'invalid_request_error',
    message: 'The default {resource} cannot be deleted.',
    hint: 'Users without a plan are on the default plan and keys without a user belong to the default user, so neither can be deleted. Change their limits instead.',
    retryable: false
  }
} as const satisfies Record<string, ErrorSpec>
