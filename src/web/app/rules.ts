import type { FormRule } from 'antd';
import type { z } from 'zod';
import { email, mobilePhone, username } from '../../contracts/common.js';
import i18n from './i18n.js';

/**
 * An antd form rule from a contract schema, so the browser checks a field the way the server
 * will. Empty values pass (pair with `required` where the field is mandatory).
 */
function fromSchema(schema: z.ZodType, messageKey: string): FormRule {
  return {
    validator: (_, value) =>
      value === undefined || value === null || value === '' || schema.safeParse(value).success
        ? Promise.resolve()
        : Promise.reject(new Error(i18n.t(messageKey))),
  };
}

export const rules = {
  // Only `required`: any other key makes antd check the value as a string, which fails for lists.
  required: (): FormRule => ({ required: true, message: i18n.t('validation.required') }),
  mobilePhone: () => fromSchema(mobilePhone, 'validation.mobile'),
  email: () => fromSchema(email, 'validation.email'),
  username: () => fromSchema(username, 'validation.username'),
};
