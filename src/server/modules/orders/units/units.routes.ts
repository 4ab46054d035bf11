import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { history, idParams, page } from '../../../../contracts/index.js';
import {
  sellThrough,
  sellThroughQuery,
  unit,
  unitBulkResult,
  unitCancelReservation,
  unitCreate,
  unitEvent,
  unitGrid,
  unitHold,
  unitListQuery,
  unitProject,
  unitProjectCreate,
  unitProjectListQuery,
  unitProjectUpdate,
  unitRelease,
  unitReprice,
  unitReserve,
  unitReverseSale,
  unitSell,
  unitUpdate,
} from '../../../../contracts/units.js';
import { withTx } from '../../../db/tx.js';
import { recordHistory } from '../../../platform/audit/audit.service.js';
import { responses } from '../../../platform/http/responses.js';
import './import-export.js';
import './units.jobs.js';
import {
  unitGrid as buildUnitGrid,
  cancelUnitReservation,
  createUnit,
  createUnitProject,
  getUnit,
  getUnitProject,
  holdUnits,
  listUnitEvents,
  listUnitProjects,
  listUnits,
  projectSellThrough,
  releaseUnits,
  repriceUnits,
  reserveUnit,
  reverseUnitSale,
  sellUnit,
  updateUnit,
  updateUnitProject,
} from './units.service.js';

const tags = ['units'];

/** Unit projects, units, the release-control grid, holds, reservations, sales and sell-through. */
export const unitsRoutes: FastifyPluginAsyncZod = async (app) => {
  // ----- projects
  app.get(
    '/unit-projects',
    {
      config: { permission: 'units.read' },
      schema: {
        tags,
        summary: 'Projects and vehicle batches with their unit counts by status',
        querystring: unitProjectListQuery,
        response: responses(page(unitProject)),
      },
    },
    async (request) => listUnitProjects(app.db, request.query),
  );

  app.get(
    '/unit-projects/:id',
    {
      config: { permission: 'units.read' },
      schema: { tags, summary: 'One project', params: idParams, response: responses(unitProject) },
    },
    async (request) => getUnitProject(app.db, request.params.id),
  );

  app.get(
    '/unit-projects/:id/history',
    {
      config: { permission: 'units.read' },
      schema: { tags, summary: "A project's audit history", params: idParams, response: responses(history) },
    },
    async (request) => {
      await getUnitProject(app.db, request.params.id);
      return recordHistory(app.db, 'unit_project', request.params.id);
    },
  );

  app.post(
    '/unit-projects',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'Create a project (property) or a vehicle batch, with its release stages',
        body: unitProjectCreate,
        response: responses(unitProject, 201),
      },
    },
    async (request, reply) => {
      const id = await createUnitProject(app.db, request.ctx, request.body);
      reply.code(201);
      return getUnitProject(app.db, id);
    },
  );

  app.patch(
    '/unit-projects/:id',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'Change a project: name, stages and their targets, archive',
        params: idParams,
        body: unitProjectUpdate,
        response: responses(unitProject),
      },
    },
    async (request) => {
      await updateUnitProject(app.db, request.ctx, request.params.id, request.body);
      return getUnitProject(app.db, request.params.id);
    },
  );

  app.get(
    '/unit-projects/:id/grid',
    {
      config: { permission: 'units.read' },
      schema: {
        tags,
        summary: 'The release-control grid (销控表): per building, floors top first, units by position',
        params: idParams,
        response: responses(unitGrid),
      },
    },
    async (request) => buildUnitGrid(app.db, request.params.id),
  );

  app.get(
    '/unit-projects/:id/sell-through',
    {
      config: { permission: 'units.read' },
      schema: {
        tags,
        summary: 'Sell-through by grade for a stage (default: the current one) against its target',
        params: idParams,
        querystring: sellThroughQuery,
        response: responses(sellThrough),
      },
    },
    async (request) => projectSellThrough(app.db, request.params.id, request.query),
  );

  // ----- units
  app.get(
    '/units',
    {
      config: { permission: 'units.read' },
      schema: {
        tags,
        summary: 'Units: by project, building, floor, status, grade, stage, type; search number or VIN',
        querystring: unitListQuery,
        response: responses(page(unit)),
      },
    },
    async (request) => listUnits(app.db, request.query),
  );

  app.get(
    '/units/:id',
    {
      config: { permission: 'units.read' },
      schema: { tags, summary: 'One unit', params: idParams, response: responses(unit) },
    },
    async (request) => getUnit(app.db, request.params.id),
  );

  app.get(
    '/units/:id/events',
    {
      config: { permission: 'units.read' },
      schema: {
        tags,
        summary: "A unit's history: who moved it, when, from what to what, why",
        params: idParams,
        response: responses(z.array(unitEvent)),
      },
    },
    async (request) => listUnitEvents(app.db, request.params.id),
  );

  app.post(
    '/units',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'Register a unit (an apartment or a vehicle by VIN); a number or VIN used twice is a 409',
        body: unitCreate,
        response: responses(unit, 201),
      },
    },
    async (request, reply) => {
      const id = await createUnit(app.db, request.ctx, request.body);
      reply.code(201);
      return getUnit(app.db, id);
    },
  );

  app.patch(
    '/units/:id',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: "Correct a unit's facts (type, grade, area, stage, model, location)",
        params: idParams,
        body: unitUpdate,
        response: responses(unit),
      },
    },
    async (request) => {
      await updateUnit(app.db, request.ctx, request.params.id, request.body);
      return getUnit(app.db, request.params.id);
    },
  );

  app.post(
    '/units/hold',
    {
      config: { permission: 'units.hold' },
      schema: {
        tags,
        summary: 'Hold units back from sale (销控) with a reason: all of them or none',
        body: unitHold,
        response: responses(unitBulkResult),
      },
    },
    async (request) => holdUnits(app.db, request.ctx, request.body),
  );

  app.post(
    '/units/release',
    {
      config: { permission: 'units.hold' },
      schema: {
        tags,
        summary: 'Release held units back to sale, with a reason: all of them or none',
        body: unitRelease,
        response: responses(unitBulkResult),
      },
    },
    async (request) => releaseUnits(app.db, request.ctx, request.body),
  );

  app.post(
    '/units/reprice',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'New list prices: chosen units to a price or by a percentage, or a grade by a percentage',
        body: unitReprice,
        response: responses(unitBulkResult),
      },
    },
    async (request) => repriceUnits(app.db, request.ctx, request.body),
  );

  app.post(
    '/units/:id/reserve',
    {
      config: { permission: 'units.hold' },
      schema: {
        tags,
        summary: 'Reserve (认购) an available unit; idempotent by key',
        params: idParams,
        body: unitReserve,
        response: responses(unit),
      },
    },
    async (request) => {
      await withTx(app.db, (tx) =>
        reserveUnit(tx, request.ctx, { unitId: request.params.id, ...request.body }),
      );
      return getUnit(app.db, request.params.id);
    },
  );

  app.post(
    '/units/:id/cancel-reservation',
    {
      config: { permission: 'units.hold' },
      schema: {
        tags,
        summary: "Cancel a unit's reservation: it is available again",
        params: idParams,
        body: unitCancelReservation,
        response: responses(unit),
      },
    },
    async (request) => {
      await cancelUnitReservation(app.db, request.ctx, request.params.id, request.body.reason);
      return getUnit(app.db, request.params.id);
    },
  );

  app.post(
    '/units/:id/sell',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'Mark a reserved unit sold (a unit sold twice is a 409)',
        params: idParams,
        body: unitSell,
        response: responses(unit),
      },
    },
    async (request) => {
      await sellUnit(app.db, request.ctx, request.params.id, request.body.key);
      return getUnit(app.db, request.params.id);
    },
  );

  app.post(
    '/units/:id/reverse-sale',
    {
      config: { permission: 'units.manage' },
      schema: {
        tags,
        summary: 'Reverse a sale (audited, with a reason): the unit is available again',
        params: idParams,
        body: unitReverseSale,
        response: responses(unit),
      },
    },
    async (request) => {
      await reverseUnitSale(app.db, request.ctx, request.params.id, request.body);
      return getUnit(app.db, request.params.id);
    },
  );
};
