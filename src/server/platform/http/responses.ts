import type { z } from 'zod';
import { problem } from '../../../contracts/common.js';

/**
 * A route's documented responses: its success body plus the problem+json every route may answer
 * (validation, authentication, permission, not found, conflict, server error).
 */
export function responses<T extends z.ZodType>(body: T, status: 200 | 201 = 200) {
  return { [status]: body, '4xx': problem, '5xx': problem } as { [K in typeof status]: T } & {
    '4xx': typeof problem;
    '5xx': typeof problem;
  };
}
