import { z } from 'zod';
import { id, isoDateTime, listQuery, version } from './common.js';

export const jobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const job = z.object({
  id,
  kind: z.string(),
  state: jobState,
  payload: z.record(z.string(), z.unknown()),
  runAt: isoDateTime,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  scheduleKey: z.string().nullable(),
  createdAt: isoDateTime,
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
});
export type Job = z.infer<typeof job>;

export const jobQuery = listQuery
  .omit({ sort: true, q: true })
  .extend({ state: jobState.optional(), kind: z.string().max(100).optional() })
  .strict();

export const jobSummary = z.record(jobState, z.number().int());

export const jobSchedule = z.object({
  key: z.string(),
  kind: z.string(),
  cron: z.string(),
  enabled: z.boolean(),
  nextRunAt: isoDateTime,
  lastRunAt: isoDateTime.nullable(),
  version,
});
export type JobSchedule = z.infer<typeof jobSchedule>;

export const jobScheduleUpdate = z
  .object({ cron: z.string().trim().min(9).max(100).optional(), enabled: z.boolean().optional(), version })
  .strict();

export const scheduleParams = z.object({ key: z.string().max(100) }).strict();
