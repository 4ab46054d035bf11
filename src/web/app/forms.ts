import type { FormInstance } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface.js';
import { ApiError } from './api.js';

/**
 * Shows a failed save to the user: field errors next to their fields (paths like
 * `admin.password`), anything else as a message. Messages arrive localised from the server.
 */
export function showError(err: unknown, message: MessageInstance, form?: FormInstance) {
  if (!(err instanceof ApiError)) {
    void message.error(String(err));
    return;
  }
  const fields = form
    ? err.errors
        .filter((e) => e.path !== '(root)')
        .map((e) => ({
          name: e.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
          errors: [e.message],
        }))
    : [];
  if (form && fields.length) {
    form.setFields(fields);
  }
  if (!fields.length || err.code !== 'validation_failed') void message.error(err.detail ?? err.title);
}
