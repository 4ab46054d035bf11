import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  job,
  jobQuery,
  jobSchedule,
  jobScheduleUpdate,
  jobSummary,
  page,
  scheduleParams,
} from '../../../contracts/index.js';
import { responses } from '../http/responses.js';
import { countJobsByState } from './jobs.js';
import {
  cancelJob,
  listJobs,
  listSchedules,
  retryJob,
  runScheduleNow,
  updateSchedule,
} from './jobs.service.js';

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['jobs'];
  app.get(
    '/jobs',
    {
      config: { permission: 'jobs.read' },
      schema: {
        tags,
        summary: 'Background job runs, newest first',
        querystring: jobQuery,
        response: responses(page(job)),
      },
    },
    async (request) => listJobs(app.db, request.query),
  );
  app.get(
    '/jobs/summary',
    {
      config: { permission: 'jobs.read' },
      schema: { tags, summary: 'How many jobs are in each state', response: responses(jobSummary) },
    },
    async () => countJobsByState(app.db),
  );
  app.post(
    '/jobs/:id/retry',
    {
      config: { permission: 'jobs.manage' },
      schema: {
        tags,
        summary: 'Run a failed or cancelled job again',
        params: idParams,
        response: responses(job),
      },
    },
    async (request) => retryJob(app.db, request.ctx, request.params.id),
  );
  app.post(
    '/jobs/:id/cancel',
    {
      config: { permission: 'jobs.manage' },
      schema: { tags, summary: 'Cancel a queued job', params: idParams, response: responses(job) },
    },
    async (request) => cancelJob(app.db, request.ctx, request.params.id),
  );
  app.get(
    '/job-schedules',
    {
      config: { permission: 'jobs.read' },
      schema: {
        tags,
        summary: 'Recurring jobs and their next run',
        response: responses(z.object({ items: z.array(jobSchedule) })),
      },
    },
    async () => listSchedules(app.db),
  );
  app.patch(
    '/job-schedules/:key',
    {
      config: { permission: 'jobs.manage' },
      schema: {
        tags,
        summary: 'Pause, resume or re-time a recurring job',
        params: scheduleParams,
        body: jobScheduleUpdate,
        response: responses(jobSchedule),
      },
    },
    async (request) => updateSchedule(app.db, request.ctx, request.params.key, request.body),
  );
  app.post(
    '/job-schedules/:key/run',
    {
      config: { permission: 'jobs.manage' },
      schema: {
        tags,
        summary: 'Queue a recurring job now',
        params: scheduleParams,
        response: responses(job, 201),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await runScheduleNow(app.db, request.ctx, request.params.key)),
  );
};
