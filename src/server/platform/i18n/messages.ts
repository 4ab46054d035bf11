import type { Locale } from './locale.js';

type Entry = { title: Record<Locale, string>; detail?: Record<Locale, string> };

/**
 * Server messages by stable error code. `title` names the kind of problem; `detail` may carry
 * {placeholders} filled from the error's params. Both languages for every entry.
 */
export const errorMessages = {
  validation_failed: {
    title: { 'zh-CN': '请求数据不正确', en: 'The request is not valid' },
    detail: { 'zh-CN': '请检查标出的字段。', en: 'Check the fields listed.' },
  },
  bad_cursor: {
    title: { 'zh-CN': '分页游标无效', en: 'Invalid page cursor' },
    detail: { 'zh-CN': '请从第一页重新加载列表。', en: 'Reload the list from the first page.' },
  },
  unauthenticated: {
    title: { 'zh-CN': '请先登录', en: 'Sign-in required' },
    detail: { 'zh-CN': '会话已过期或未登录。', en: 'Your session has expired or you are not signed in.' },
  },
  forbidden: {
    title: { 'zh-CN': '没有权限', en: 'Not allowed' },
    detail: {
      'zh-CN': '你没有执行此操作的权限（{permission}）。',
      en: 'You lack the permission for this action ({permission}).',
    },
  },
  csrf_failed: {
    title: { 'zh-CN': '安全校验失败', en: 'Security check failed' },
    detail: { 'zh-CN': '请刷新页面后重试。', en: 'Reload the page and try again.' },
  },
  not_found: {
    title: { 'zh-CN': '未找到', en: 'Not found' },
    detail: { 'zh-CN': '记录不存在或你无权查看。', en: 'The record does not exist or you cannot see it.' },
  },
  route_not_found: {
    title: { 'zh-CN': '接口不存在', en: 'No such endpoint' },
    detail: { 'zh-CN': '{method} {url} 不存在。', en: '{method} {url} does not exist.' },
  },
  version_conflict: {
    title: { 'zh-CN': '记录已被他人修改', en: 'The record was changed by someone else' },
    detail: {
      'zh-CN': '请刷新后在最新版本上重新修改。',
      en: 'Reload it and apply your change to the latest version.',
    },
  },
  duplicate: {
    title: { 'zh-CN': '数据重复', en: 'Duplicate' },
    detail: { 'zh-CN': '{field} 已被使用。', en: '{field} is already in use.' },
  },
  invalid_reference: {
    title: { 'zh-CN': '关联数据无效', en: 'Invalid reference' },
    detail: {
      'zh-CN': '{field} 指向的记录不存在或不可用。',
      en: '{field} refers to a record that does not exist or is unavailable.',
    },
  },
  invalid_credentials: {
    title: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  },
  account_locked: {
    title: { 'zh-CN': '账号已临时锁定', en: 'Account temporarily locked' },
    detail: {
      'zh-CN': '密码连续错误次数过多，请在 {minutes} 分钟后重试，或联系管理员重置密码。',
      en: 'Too many wrong passwords. Try again in {minutes} minutes, or ask an administrator to reset your password.',
    },
  },
  account_disabled: {
    title: { 'zh-CN': '账号已停用', en: 'Account disabled' },
    detail: { 'zh-CN': '请联系管理员。', en: 'Contact your administrator.' },
  },
  password_policy: {
    title: { 'zh-CN': '密码不符合要求', en: 'Password too weak' },
    detail: {
      'zh-CN': '密码至少 {min} 位，且须同时包含字母和数字，不能与用户名相同。',
      en: 'Use at least {min} characters with both letters and digits, different from the username.',
    },
  },
  password_change_required: {
    title: { 'zh-CN': '请先修改密码', en: 'Change your password first' },
    detail: {
      'zh-CN': '管理员重置了你的密码，请先设置新密码再继续使用。',
      en: 'An administrator reset your password; choose a new one before going on.',
    },
  },
  wrong_current_password: {
    title: { 'zh-CN': '当前密码不正确', en: 'Current password is wrong' },
  },
  setup_done: {
    title: { 'zh-CN': '系统已初始化', en: 'Already set up' },
    detail: {
      'zh-CN': '管理员已存在，请直接登录。',
      en: 'An administrator exists already; sign in instead.',
    },
  },
  setup_required: {
    title: { 'zh-CN': '系统尚未初始化', en: 'Setup required' },
    detail: { 'zh-CN': '请先创建管理员。', en: 'Create the administrator first.' },
  },
  org_cycle: {
    title: { 'zh-CN': '组织结构不能成环', en: 'Org tree cannot loop' },
    detail: {
      'zh-CN': '不能把部门移到它自己或它的下级之下。',
      en: 'A unit cannot move under itself or one of its sub-units.',
    },
  },
  org_unit_in_use: {
    title: { 'zh-CN': '部门仍在使用', en: 'Unit still in use' },
    detail: {
      'zh-CN': '该部门下还有 {users} 名在职用户或 {children} 个下级部门。',
      en: 'The unit still has {users} active users or {children} sub-units.',
    },
  },
  root_unit: {
    title: { 'zh-CN': '不能修改公司根节点的位置', en: 'The company root cannot move' },
  },
  builtin_role: {
    title: { 'zh-CN': '系统角色不能删除', en: 'Built-in roles cannot be deleted' },
  },
  role_in_use: {
    title: { 'zh-CN': '角色仍被使用', en: 'Role in use' },
    detail: { 'zh-CN': '还有 {users} 名用户拥有该角色。', en: '{users} users still have this role.' },
  },
  last_admin: {
    title: { 'zh-CN': '不能移除最后一名管理员', en: 'Cannot remove the last administrator' },
  },
  unknown_permission: {
    title: { 'zh-CN': '未知权限', en: 'Unknown permission' },
    detail: { 'zh-CN': '{permission}', en: '{permission}' },
  },
  rate_limited: {
    title: { 'zh-CN': '请求过于频繁', en: 'Too many requests' },
    detail: { 'zh-CN': '请稍后再试。', en: 'Please try again later.' },
  },
  payload_too_large: {
    title: { 'zh-CN': '请求体过大', en: 'Request too large' },
    detail: {
      'zh-CN': '请求体不能超过 {limit} 字节。',
      en: 'The request body may be at most {limit} bytes.',
    },
  },
  unsupported_media_type: {
    title: { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  },
  bad_request: {
    title: { 'zh-CN': '请求格式错误', en: 'Malformed request' },
  },
  internal: {
    title: { 'zh-CN': '服务器内部错误', en: 'Internal server error' },
    detail: {
      'zh-CN': '请稍后重试；如问题持续，请把请求编号 {requestId} 告诉管理员。',
      en: 'Try again later; if it persists, give your administrator the request id {requestId}.',
    },
  },
  unavailable: {
    title: { 'zh-CN': '服务暂不可用', en: 'Service unavailable' },
  },
} satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof errorMessages;

export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** Validation messages per zod issue kind, in both languages. */
export const validationMessages = {
  required: { 'zh-CN': '必填', en: 'Required' },
  type: { 'zh-CN': '类型应为 {expected}', en: 'Expected {expected}' },
  tooLongString: { 'zh-CN': '不能超过 {n} 个字符', en: 'At most {n} characters' },
  tooShortString: { 'zh-CN': '至少 {n} 个字符', en: 'At least {n} characters' },
  empty: { 'zh-CN': '不能为空', en: 'Must not be empty' },
  tooBig: { 'zh-CN': '不能大于 {n}', en: 'Must be at most {n}' },
  tooSmall: { 'zh-CN': '不能小于 {n}', en: 'Must be at least {n}' },
  tooMany: { 'zh-CN': '最多 {n} 项', en: 'At most {n} items' },
  tooFew: { 'zh-CN': '至少 {n} 项', en: 'At least {n} items' },
  unknownField: { 'zh-CN': '未知字段', en: 'Unknown field' },
  oneOf: { 'zh-CN': '取值应为：{values}', en: 'Must be one of: {values}' },
  email: { 'zh-CN': '邮箱格式不正确', en: 'Not a valid email address' },
  uuid: { 'zh-CN': 'ID 格式不正确', en: 'Not a valid id' },
  format: { 'zh-CN': '格式不正确', en: 'Invalid format' },
  mobile: { 'zh-CN': '手机号格式不正确', en: 'Not a valid mainland mobile number' },
  passwordPolicy: {
    'zh-CN': '至少 {n} 位，须同时包含字母和数字，且不能与用户名相同',
    en: 'At least {n} characters with letters and digits, not the username',
  },
  timeZone: { 'zh-CN': '未知时区', en: 'Unknown time zone' },
  division: { 'zh-CN': '未知的省市代码', en: 'Unknown province/city code' },
  invalid: { 'zh-CN': '取值无效', en: 'Invalid value' },
} satisfies Record<string, Record<Locale, string>>;

export type ValidationMessageKey = keyof typeof validationMessages;
