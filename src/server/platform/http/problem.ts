import type { FastifyReply, FastifyRequest } from 'fastify';
import './types.js';
import { AppError, type FieldError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import {
  errorMessages,
  interpolate,
  type ValidationMessageKey,
  validationMessages,
} from '../i18n/messages.js';

interface ZodLikeIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

const TYPE_NAMES: Record<string, Record<Locale, string>> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  boolean: { 'zh-CN': '布尔值', en: 'true or false' },
  array: { 'zh-CN': '数组', en: 'a list' },
  object: { 'zh-CN': '对象', en: 'an object' },
};

function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts.join('.') || '(root)';
}

/** Turns a zod issue (as fastify-type-provider-zod reports it) into our field errors. */
export function fieldErrorsFromIssue(issue: ZodLikeIssue): FieldError[] {
  const p = issue.params;
  const at = (
    message: ValidationMessageKey,
    params?: Record<string, unknown>,
    extra?: string,
  ): FieldError => ({
    path: fieldPath(issue.instancePath, extra),
    message,
    ...(params ? { params } : {}),
  });
  switch (issue.keyword) {
    case 'unrecognized_keys':
      return ((p.keys as string[]) ?? []).map((k) => at('unknownField', undefined, k));
    case 'invalid_type':
      if (/received undefined/.test(issue.message ?? '')) return [at('required')];
      return [at('type', { expected: String(p.expected) })];
    case 'too_big': {
      const n = p.maximum;
      if (p.origin === 'string') return [at('tooLongString', { n })];
      if (p.origin === 'array' || p.origin === 'set') return [at('tooMany', { n })];
      return [at('tooBig', { n })];
    }
    case 'too_small': {
      const n = p.minimum;
      if (p.origin === 'string') return [n === 1 ? at('empty') : at('tooShortString', { n })];
      if (p.origin === 'array' || p.origin === 'set') return [at('tooFew', { n })];
      return [at('tooSmall', { n })];
    }
    case 'invalid_value':
      return [at('oneOf', { values: ((p.values as unknown[]) ?? []).join(', ') })];
    case 'invalid_format': {
      if (p.format === 'email') return [at('email')];
      if (p.format === 'uuid' || p.format === 'guid') return [at('uuid')];
      if (issue.message && issue.message in validationMessages)
        return [at(issue.message as ValidationMessageKey)];
      return [at('format')];
    }
    default:
      if (issue.message && issue.message in validationMessages)
        return [at(issue.message as ValidationMessageKey)];
      return [at('invalid')];
  }
}

function localiseField(e: FieldError, locale: Locale): { path: string; message: string } {
  const params = { ...e.params };
  if (e.message === 'type' && typeof params.expected === 'string') {
    params.expected = TYPE_NAMES[params.expected]?.[locale] ?? params.expected;
  }
  return { path: e.path, message: interpolate(validationMessages[e.message][locale], params) };
}

export function problemBody(err: AppError, locale: Locale, request: FastifyRequest) {
  const entry = errorMessages[err.code];
  const detailTemplate = 'detail' in entry ? entry.detail[locale] : undefined;
  return {
    type: `urn:xiaoguan:problem:${err.code}`,
    title: entry.title[locale],
    status: err.status,
    ...(detailTemplate
      ? { detail: interpolate(detailTemplate, { ...err.params, requestId: request.id }) }
      : {}),
    code: err.code,
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(err.fieldErrors.length ? { errors: err.fieldErrors.map((f) => localiseField(f, locale)) } : {}),
  };
}

export function sendProblem(reply: FastifyReply, err: AppError) {
  const request = reply.request;
  return reply
    .code(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', request.locale)
    .send(problemBody(err, request.locale, request));
}

export { AppError };
