/** The one shape of every error answer. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['status', 'error', 'message', 'requestId'],
  properties: {
    status: { type: 'string', enum: ['error'] },
    error: { type: 'string', description: 'Machine-readable code, e.g. VARIABLES_INVALID' },
    message: { type: 'string' },
    details: {},
    requestId: { type: 'string' }
  }
} as const

export const errorResponses = (...codes: number[]): Record<number, { $ref: string }> =>
  Object.fromEntries(codes.map((code) => [code, { $ref: 'Error#' }]))
