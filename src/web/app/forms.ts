import type { FormInstance } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface.js';
import { ApiError } from './api.js';
import i18n from './i18n.js';

/**
 * The form field a server error path belongs to: the path itself (`admin.password`) or, for an
 * item of a list field (`roleIds.0`), the nearest enclosing field the form has.
 */
function fieldOf(path: string, known: Set<string>): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

export const isVersionConflict = (err: unknown) => err instanceof ApiError && err.code === 'version_conflict';

/**
 * Shows a failed request to the user. Field errors go next to their fields; whatever has no
 * field on the form is shown as a message. Messages arrive localised from the server.
 */
export function showError(err: unknown, message: MessageInstance, form?: FormInstance) {
  if (!(err instanceof ApiError)) {
    void message.error(i18n.t('common.networkError'));
    return;
  }
  const known = new Set(form?.getFieldsError().map((f) => f.name.join('.')) ?? []);
  const byField = new Map<string, string[]>();
  let unplaced = 0;
  for (const e of err.errors) {
    const field = fieldOf(e.path, known);
    if (field) byField.set(field, [...(byField.get(field) ?? []), e.message]);
    else unplaced++;
  }
  if (form && byField.size)
    form.setFields(
      [...byField].map(([field, errors]) => ({
        name: field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        errors,
      })),
    );
  if (byField.size && !unplaced) return;
  // The shell has already reloaded the data (see session.tsx); the user re-applies the change.
  if (err.code === 'version_conflict') {
    void message.warning(i18n.t('common.versionConflict'));
    return;
  }
  const unplacedText = err.errors
    .filter((e) => !fieldOf(e.path, known))
    .map((e) => e.message)
    .join('; ');
  const detail = unplacedText || err.detail;
  void message.error(detail ? i18n.t('common.problem', { title: err.title, detail }) : err.title);
}
