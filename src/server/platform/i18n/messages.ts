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
  category_in_use: {
    title: { 'zh-CN': '分类仍在使用', en: 'The category is still in use' },
    detail: {
      'zh-CN': '分类「{name}」下还有 {products} 个在售商品和 {children} 个下级分类，请先移走或归档它们。',
      en: 'The category "{name}" still holds {products} active products and {children} active sub-categories; move or archive them first.',
    },
  },
  category_archived: {
    title: { 'zh-CN': '分类已归档', en: 'The category is archived' },
    detail: {
      'zh-CN': '分类「{name}」已归档，不能再放入商品或下级分类。',
      en: 'The category "{name}" is archived and takes no products or sub-categories.',
    },
  },
  tracking_mode_locked: {
    title: { 'zh-CN': '跟踪方式不能再修改', en: 'The tracking mode can no longer change' },
    detail: {
      'zh-CN': '商品「{sku}」已有出入库记录，批次/序列号跟踪方式不能再修改。',
      en: 'The product {sku} has stock movements, so its batch/serial tracking mode cannot change.',
    },
  },
  product_archived: {
    title: { 'zh-CN': '商品已归档', en: 'The product is archived' },
    detail: {
      'zh-CN': '商品「{sku}」已归档，请先恢复再修改。',
      en: 'The product {sku} is archived; restore it before changing it.',
    },
  },
  price_list_archived: {
    title: { 'zh-CN': '价目表已归档', en: 'The price list is archived' },
    detail: {
      'zh-CN': '价目表「{code}」已归档，请先恢复再修改它或它的价格规则。',
      en: 'The price list {code} is archived; restore it before changing it or its rules.',
    },
  },
  price_rule_product_archived: {
    title: { 'zh-CN': '商品已归档', en: 'The product is archived' },
    detail: {
      'zh-CN': '商品「{sku}」已归档，不能为它新增或修改价格规则。',
      en: 'The product {sku} is archived; it cannot get a new or changed price rule.',
    },
  },
  price_rule_exists: {
    title: { 'zh-CN': '价格规则已存在', en: 'The price rule exists already' },
    detail: {
      'zh-CN': '此价目表中该商品（或类别）起订量 {minQuantity} 的价格已存在，请修改现有规则。',
      en: 'This list already prices that product (or category) from quantity {minQuantity}; change the existing rule.',
    },
  },
  invalid_state: {
    title: { 'zh-CN': '当前状态不允许此操作', en: 'Not allowed in the current state' },
    detail: {
      'zh-CN': '记录当前为「{state}」，此操作不可用。',
      en: 'The record is "{state}"; this action is not available.',
    },
  },
  approval_pending: {
    title: { 'zh-CN': '单据已在审批中', en: 'Already in approval' },
    detail: {
      'zh-CN': '请等待审批结果，或先撤回再重新提交。',
      en: 'Wait for the decision, or withdraw it before submitting again.',
    },
  },
  approval_no_approver: {
    title: { 'zh-CN': '找不到审批人', en: 'No approver found' },
    detail: {
      'zh-CN': '审批步骤「{step}」没有可用的审批人，请联系管理员检查审批流程或组织架构。',
      en: 'Nobody can approve the step "{step}". Ask an administrator to check the approval policy or the organisation.',
    },
  },
  approval_closed: {
    title: { 'zh-CN': '审批已结束', en: 'This approval is closed' },
    detail: {
      'zh-CN': '该审批当前状态为「{status}」，不能再操作。',
      en: 'The approval is {status}; it can no longer be acted on.',
    },
  },
  approval_step_decided: {
    title: { 'zh-CN': '该步骤已处理', en: 'This step has already been decided' },
    detail: {
      'zh-CN': '审批步骤「{step}」已有结果，请刷新查看。',
      en: 'The step "{step}" already has a decision. Reload to see it.',
    },
  },
  approval_not_approver: {
    title: { 'zh-CN': '你不是该步骤的审批人', en: 'You are not an approver of this step' },
    detail: {
      'zh-CN': '只有「{step}」的审批人或其代理人可以处理。',
      en: 'Only the approvers of "{step}" or their delegates can decide it.',
    },
  },
  approval_not_submitter: {
    title: { 'zh-CN': '只有提交人可以撤回', en: 'Only the submitter can withdraw' },
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
  delivery_already_sent: {
    title: { 'zh-CN': '消息已发送', en: 'Already sent' },
    detail: {
      'zh-CN': '这条消息已成功发送，不会重复发送。',
      en: 'This message was delivered already and is not sent twice.',
    },
  },
  rate_limited: {
    title: { 'zh-CN': '请求过于频繁', en: 'Too many requests' },
    detail: { 'zh-CN': '请稍后再试。', en: 'Please try again later.' },
  },
  tracking_not_found: {
    title: { 'zh-CN': '未查到订单', en: 'No order found' },
    detail: {
      'zh-CN': '订单号与手机号不匹配，请核对后重试，或联系您的销售顾问。',
      en: 'The order number and phone number do not match. Please check them or ask your sales contact.',
    },
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
  file_required: {
    title: { 'zh-CN': '请选择要上传的文件', en: 'No file uploaded' },
    detail: {
      'zh-CN': '请以 multipart/form-data 上传一个非空文件（字段名 file，带文件名）。',
      en: 'Send one non-empty file, with its name, as multipart/form-data in a part named "file".',
    },
  },
  file_too_large: {
    title: { 'zh-CN': '文件过大', en: 'File too large' },
    detail: {
      'zh-CN': '单个附件不能超过 {limit}，文件未保存。',
      en: 'An attachment may be at most {limit}; the file was not saved.',
    },
  },
  file_type_not_allowed: {
    title: { 'zh-CN': '不支持的文件类型', en: 'File type not allowed' },
    detail: {
      'zh-CN': '“{fileName}”（{type}）不能作为附件上传。可上传：{allowed}。',
      en: '"{fileName}" ({type}) cannot be attached. Allowed: {allowed}.',
    },
  },
  file_type_mismatch: {
    title: { 'zh-CN': '文件内容与类型不符', en: 'File content does not match its type' },
    detail: {
      'zh-CN':
        '“{fileName}”的扩展名是 {type}，但内容是 {actual}，文件未保存。请上传原始文件，不要修改扩展名。',
      en: '"{fileName}" is named {type} but its content is {actual}; the file was not saved. Upload the original file without renaming it.',
    },
  },
  record_read_only: {
    title: { 'zh-CN': '该记录当前不能修改', en: 'This record cannot be changed now' },
    detail: {
      'zh-CN': '记录已归档或已锁定，不能添加或删除附件。',
      en: 'The record is archived or locked; attachments cannot be added or removed.',
    },
  },
  file_content_missing: {
    title: { 'zh-CN': '附件文件缺失', en: 'Attachment file missing' },
    detail: {
      'zh-CN': '附件记录存在，但服务器上找不到文件内容。请管理员从备份恢复附件目录。',
      en: 'The attachment is recorded but its file is missing on the server. Ask your administrator to restore the files folder from backup.',
    },
  },
  import_file_empty: {
    title: { 'zh-CN': '文件中没有数据', en: 'The file has no data' },
    detail: {
      'zh-CN': '第一行应为表头，其下至少一行数据。',
      en: 'The first row should hold the column headers, with at least one row of data below.',
    },
  },
  import_file_unreadable: {
    title: { 'zh-CN': '无法读取文件', en: 'The file cannot be read' },
    detail: {
      'zh-CN': '文件已损坏，或不是 Excel 工作簿 (.xlsx) 或 CSV 文件。未导入任何数据。',
      en: 'The file is damaged, or is not an Excel workbook (.xlsx) or CSV file. Nothing was imported.',
    },
  },
  import_file_type: {
    title: { 'zh-CN': '不支持的文件格式', en: 'Unsupported file format' },
    detail: {
      'zh-CN': '请在 Excel 中另存为“Excel 工作簿 (.xlsx)”或“CSV”后再上传。',
      en: 'Save it from Excel as "Excel Workbook (.xlsx)" or "CSV" and upload that.',
    },
  },
  import_file_too_large: {
    title: { 'zh-CN': '文件过大', en: 'File too large' },
    detail: {
      'zh-CN': '导入文件不能超过 {limitMb} MB，请拆分后分批导入。',
      en: 'An import file may be at most {limitMb} MB; split it and import the parts.',
    },
  },
  import_too_many_rows: {
    title: { 'zh-CN': '行数过多', en: 'Too many rows' },
    detail: {
      'zh-CN': '一次最多导入 {max} 行数据，请拆分后分批导入。',
      en: 'One import may hold at most {max} rows; split the file and import the parts.',
    },
  },
  import_unknown_entity: {
    title: { 'zh-CN': '不支持导入或导出该类数据', en: 'Nothing to import or export by that name' },
    detail: { 'zh-CN': '{entity}', en: '{entity}' },
  },
  import_mapping_invalid: {
    title: { 'zh-CN': '列对应关系不完整', en: 'The column mapping is incomplete' },
    detail: {
      'zh-CN': '每个必填字段都要对应一列，每个字段最多对应一列。',
      en: 'Every required field needs a column, and each field may take at most one column.',
    },
  },
  import_rows_invalid: {
    title: { 'zh-CN': '数据有误，未导入任何数据', en: 'Rows have errors: nothing was imported' },
    detail: {
      'zh-CN': '{failed} 行数据有误。选择了“全部成功才导入”，因此没有写入任何数据；请修正后重新上传。',
      en: '{failed} rows have errors. "All or nothing" was chosen, so nothing was written; fix them and upload again.',
    },
  },
  possible_duplicate: {
    title: { 'zh-CN': '可能是重复客户', en: 'Possibly a duplicate customer' },
    detail: {
      'zh-CN': '已有 {count} 个名称、拼音或电话相同的客户。请先核对；确认不是同一客户后可继续保存。',
      en: '{count} customers with the same name, pinyin or phone exist. Check them; if this is a different customer, confirm to save anyway.',
    },
  },
  duplicate_credit_code: {
    title: { 'zh-CN': '统一社会信用代码已存在', en: 'Credit code already registered' },
    detail: {
      'zh-CN': '客户“{name}”已使用该统一社会信用代码，同一企业不能重复建档。',
      en: 'The customer "{name}" already has this unified social credit code; one company cannot be entered twice.',
    },
  },
  merge_into_self: {
    title: { 'zh-CN': '不能把客户合并到自身', en: 'A customer cannot be merged into itself' },
  },
  customer_merged: {
    title: { 'zh-CN': '客户已被合并', en: 'The customer has been merged' },
    detail: {
      'zh-CN': '该客户已合并到其他客户，请在保留的客户上操作。',
      en: 'This customer was merged into another one; work on the surviving customer.',
    },
  },
  customer_not_merged: {
    title: { 'zh-CN': '客户未被合并', en: 'The customer is not merged' },
    detail: {
      'zh-CN': '只有已合并的客户才能撤销合并。',
      en: 'Only a merged customer can be unmerged.',
    },
  },
  unit_wrong_state: {
    title: { 'zh-CN': '房源当前状态不允许此操作', en: 'Not possible in the unit’s current state' },
    detail: {
      'zh-CN': '{number} 当前为「{state}」，不能{action}。请刷新后查看。',
      en: '{number} is {state}; it cannot be {action}. Refresh to see its current state.',
    },
  },
  units_not_in_state: {
    title: {
      'zh-CN': '部分房源状态已变化，未做任何修改',
      en: 'Some units changed state; nothing was changed',
    },
    detail: {
      'zh-CN': '以下 {count} 个房源不能{action}：{units}。请刷新后重新选择。',
      en: 'These {count} units cannot be {action}: {units}. Refresh and select again.',
    },
  },
  unit_already_sold: {
    title: { 'zh-CN': '房源已售出', en: 'Unit already sold' },
    detail: {
      'zh-CN': '{number} 已售出，不能重复销售。',
      en: '{number} is already sold; it cannot be sold twice.',
    },
  },
  unit_reservation_key_used: {
    title: { 'zh-CN': '认购编号已用于其他房源', en: 'Reservation key used for another unit' },
    detail: {
      'zh-CN': '认购编号「{key}」已用于 {number}。',
      en: 'The reservation key "{key}" is already used for {number}.',
    },
  },
  unit_reservation_mismatch: {
    title: { 'zh-CN': '认购编号不符', en: 'Reservation key does not match' },
    detail: {
      'zh-CN': '{number} 的认购编号不是「{key}」。',
      en: 'The reservation of {number} does not have the key "{key}".',
    },
  },
  duplicate_unit_number: {
    title: { 'zh-CN': '房号重复', en: 'Unit number already used' },
    detail: {
      'zh-CN': '项目中 {building} {number} 已存在。',
      en: '{building} {number} already exists in this project.',
    },
  },
  duplicate_vin: {
    title: { 'zh-CN': '车架号重复', en: 'VIN already used' },
    detail: {
      'zh-CN': '车架号 {vin} 已登记，同一车架号不能使用两次。',
      en: 'The VIN {vin} is already registered; a serial number cannot be used twice.',
    },
  },
  duplicate_unit_project: {
    title: { 'zh-CN': '项目编号重复', en: 'Project code already used' },
    detail: { 'zh-CN': '项目编号 {code} 已存在。', en: 'The project code {code} already exists.' },
  },
  unit_project_archived: {
    title: { 'zh-CN': '项目已归档', en: 'Project archived' },
    detail: {
      'zh-CN': '项目「{name}」已归档，不能再修改其房源。',
      en: 'The project "{name}" is archived; its units cannot be changed.',
    },
  },
  pipeline_stage_in_use: {
    title: { 'zh-CN': '阶段仍在使用', en: 'Stage in use' },
    detail: {
      'zh-CN': '有 {count} 个商机曾处于该阶段，不能删除它或改变其类型。',
      en: '{count} opportunities have been in this stage; it cannot be removed or change its kind.',
    },
  },
  pipeline_archived: {
    title: { 'zh-CN': '销售流程已归档', en: 'Pipeline archived' },
    detail: {
      'zh-CN': '销售流程「{name}」已归档，不能在其中新建商机。',
      en: 'The pipeline "{name}" is archived; no new opportunities can be opened in it.',
    },
  },
  opportunity_closed: {
    title: { 'zh-CN': '商机已关闭', en: 'Opportunity closed' },
    detail: {
      'zh-CN': '商机当前为「{state}」，不能再推进或修改阶段。如需继续跟进，请由经理重新打开。',
      en: 'The opportunity is {state}; its stage cannot change. A manager can reopen it.',
    },
  },
  opportunity_not_closed: {
    title: { 'zh-CN': '商机未关闭', en: 'Opportunity not closed' },
    detail: {
      'zh-CN': '只有赢单或输单的商机可以重新打开。',
      en: 'Only a won or lost opportunity can be reopened.',
    },
  },
  opportunity_stage_blocked: {
    title: { 'zh-CN': '尚不能离开当前阶段', en: 'Cannot leave the stage yet' },
    detail: {
      'zh-CN': '离开「{stage}」前还需完成：{missing}。',
      en: 'Before leaving "{stage}", complete: {missing}.',
    },
  },
  opportunity_lines_closed: {
    title: { 'zh-CN': '商机已关闭', en: 'Opportunity closed' },
    detail: {
      'zh-CN': '商机当前为「{state}」，不能再修改产品明细。',
      en: 'The opportunity is {state}; its product lines cannot change.',
    },
  },
  opportunity_amount_from_lines: {
    title: { 'zh-CN': '金额由产品明细计算', en: 'Amount comes from the lines' },
    detail: {
      'zh-CN': '该商机的金额是产品明细的合计，请修改明细；清空明细后可手工填写金额。',
      en: "This opportunity's amount is the sum of its product lines: change the lines, or remove them all to type an amount.",
    },
  },
  view_not_yours: {
    title: { 'zh-CN': '不能修改他人的视图', en: 'Not your view' },
    detail: {
      'zh-CN': '只能修改或删除自己保存的视图；共享视图可由作者或总监删除。',
      en: 'You can change or delete only views you saved; a shared view can be removed by its author or a director.',
    },
  },
  view_name_taken: {
    title: { 'zh-CN': '视图名称已存在', en: 'View name already used' },
    detail: {
      'zh-CN': '你在此列表已有名为「{name}」的视图，请换一个名称。',
      en: 'You already have a view named "{name}" on this list. Choose another name.',
    },
  },
  complaint_wrong_state: {
    title: { 'zh-CN': '投诉当前状态不允许此操作', en: 'Not possible in the complaint’s current state' },
    detail: {
      'zh-CN': '投诉当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'The complaint is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  contract_wrong_state: {
    title: { 'zh-CN': '合同当前状态不允许此操作', en: 'Not possible in the contract’s current state' },
    detail: {
      'zh-CN': '合同当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'The contract is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  sales_order_wrong_state: {
    title: { 'zh-CN': '订单当前状态不允许此操作', en: 'Not possible in the order’s current state' },
    detail: {
      'zh-CN': '订单当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'The order is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  sales_order_below_floor: {
    title: { 'zh-CN': '价格低于底价', en: 'Price below the floor' },
    detail: {
      'zh-CN': '{sku} 的成交价低于底价 ¥{floor}。低于底价须先走报价审批，再从已接受的报价下单。',
      en: 'The price of {sku} is below its floor of ¥{floor}. Have a quote approved and order from the accepted quote.',
    },
  },
  sales_order_no_warehouse: {
    title: { 'zh-CN': '没有可发货的仓库', en: 'No warehouse to ship from' },
    detail: {
      'zh-CN': '系统中还没有启用的仓库或门店，请先在「仓库与门店」中添加。',
      en: 'There is no active warehouse or store yet; add one under Warehouses and stores first.',
    },
  },
  idempotency_key_reused: {
    title: { 'zh-CN': '幂等键已被使用', en: 'Idempotency-Key already used' },
    detail: {
      'zh-CN': '该 Idempotency-Key 已用于另一份内容不同的请求；新的请求请使用新的键。',
      en: 'This Idempotency-Key was used for a request with other content; use a new key for a new request.',
    },
  },
  shipment_exceeds_order: {
    title: { 'zh-CN': '发货数量超过订单未发数量', en: 'Shipment above what is open on the order' },
    detail: {
      'zh-CN': '{sku} 本次发货 {wanted}，订单尚未发货的只有 {open}。',
      en: '{sku}: {wanted} to ship, but only {open} is still open on the order.',
    },
  },
  return_exceeds_shipped: {
    title: { 'zh-CN': '退货数量超过可退数量', en: 'Return above what was shipped' },
    detail: {
      'zh-CN': '{sku} 申请退 {wanted}，已发货且尚未退货的只有 {returnable}。',
      en: '{sku}: {wanted} to return, but only {returnable} was shipped and not yet returned.',
    },
  },
  return_wrong_state: {
    title: { 'zh-CN': '退货单当前状态不允许此操作', en: 'Not possible in the return’s current state' },
    detail: {
      'zh-CN': '退货单{state}，不能{action}。请刷新后查看当前状态。',
      en: 'The return is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  refund_wrong_state: {
    title: { 'zh-CN': '退货单尚未收货，不能退款', en: 'The return has not been received' },
    detail: {
      'zh-CN': '退货单 {number} {state}；货物退回入库后才能退款。',
      en: 'Return {number} is {state}; a refund is possible once the goods are received back.',
    },
  },
  refund_exceeds_due: {
    title: { 'zh-CN': '退款金额超过待退金额', en: 'Refund above what is still due' },
    detail: {
      'zh-CN': '退货单 {number} 本次退款 {amount}，尚待退款的只有 {due}。',
      en: 'Return {number}: {amount} to refund, but only {due} is still due.',
    },
  },
  refund_key_required: {
    title: { 'zh-CN': '缺少幂等键', en: 'Idempotency-Key required' },
    detail: {
      'zh-CN': '登记退款须带 Idempotency-Key 请求头，重试时使用同一个键，避免重复退款。',
      en: 'Recording a refund needs an Idempotency-Key header; retry with the same key so it is paid once.',
    },
  },
  shipment_wrong_state: {
    title: { 'zh-CN': '发货单当前状态不允许此操作', en: 'Not possible in the shipment’s current state' },
    detail: {
      'zh-CN': '只能过账草稿发货单、只能对已过账的发货单确认签收。请刷新后查看。',
      en: 'Only a draft shipment can be posted and only a posted one delivered. Reload to see its state.',
    },
  },
  production_request_closed: {
    title: { 'zh-CN': '需求已关闭', en: 'Request already closed' },
    detail: {
      'zh-CN': '该生产/采购需求已完成或已取消。',
      en: 'This production request is already fulfilled or cancelled.',
    },
  },
  quote_wrong_state: {
    title: { 'zh-CN': '报价单当前状态不允许此操作', en: 'Not possible in the quote’s current state' },
    detail: {
      'zh-CN': '报价单当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'The quote is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  quote_not_editable: {
    title: { 'zh-CN': '报价单不能再修改', en: 'The quote can no longer be changed' },
    detail: {
      'zh-CN': '报价单 {number} 第 {revision} 版当前为「{state}」，不能修改。请新建修订版本后再改。',
      en: 'Quote {number} revision {revision} is {state} and cannot be changed. Make a revision to change it.',
    },
  },
  quote_total_mismatch: {
    title: { 'zh-CN': '报价合计与服务器计算不一致', en: 'The quote total does not match' },
    detail: {
      'zh-CN': '页面上的合计为 {expected}，按当前价格计算为 {actual}。请刷新价格后再保存。',
      en: 'The page shows a total of {expected}; at current prices it is {actual}. Refresh the prices and save again.',
    },
  },
  quote_needs_approval: {
    title: { 'zh-CN': '报价单需要先审批', en: 'The quote needs approval first' },
    detail: {
      'zh-CN': '报价单 {number} 的折扣或价格需要审批（{reason}），审批通过后才能{action}。请先提交审批。',
      en: 'Quote {number} needs approval ({reason}) before it can be {action}. Submit it for approval first.',
    },
  },
  quote_expired: {
    title: { 'zh-CN': '报价单已过期', en: 'The quote has expired' },
    detail: {
      'zh-CN': '报价单 {number} 的有效期至 {validUntil}，已过期，不能接受。请新建修订版本并更新有效期。',
      en: 'Quote {number} was valid until {validUntil}; it has expired and cannot be accepted. Make a revision with a new validity date.',
    },
  },
  quote_already_converted: {
    title: { 'zh-CN': '报价单已转为合同', en: 'The quote is already a contract' },
    detail: {
      'zh-CN': '报价单 {number} 已转为合同 {contract}，不能重复转换。',
      en: 'Quote {number} already became contract {contract}; it cannot be converted again.',
    },
  },
  quote_product_archived: {
    title: { 'zh-CN': '产品已停用', en: 'Product archived' },
    detail: {
      'zh-CN': '产品「{product}」已停用，不能报价。',
      en: 'The product "{product}" is archived and cannot be quoted.',
    },
  },
  quote_mail_not_configured: {
    title: { 'zh-CN': '邮件未配置', en: 'E-mail is not set up' },
    detail: {
      'zh-CN': '系统尚未配置发信邮箱（SMTP），不能发送报价单。请联系管理员在「通知渠道」中配置。',
      en: 'No outgoing mail server (SMTP) is set up, so the quote cannot be e-mailed. Ask the administrator to set it up under notification channels.',
    },
  },
  quote_mail_failed: {
    title: { 'zh-CN': '邮件发送失败', en: 'The e-mail could not be sent' },
    detail: {
      'zh-CN': '邮件服务器拒绝或未响应：{reason}。报价单状态未改变。',
      en: 'The mail server refused or did not answer: {reason}. The quote was not changed.',
    },
  },
  contract_plan_mismatch: {
    title: { 'zh-CN': '分期合计与合同金额不符', en: 'Installments do not add up to the contract amount' },
    detail: {
      'zh-CN': '分期合计 {sum}，合同金额 {amount}，相差 {difference}。',
      en: 'The installments total {sum}, the contract amount is {amount}: a difference of {difference}.',
    },
  },
  bid_wrong_state: {
    title: { 'zh-CN': '投标当前状态不允许此操作', en: 'Not possible in the bid’s current state' },
    detail: {
      'zh-CN': '投标当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'The bid is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  bid_duplicate_tender: {
    title: { 'zh-CN': '招标编号已登记', en: 'Tender number already recorded' },
    detail: {
      'zh-CN': '招标方「{issuer}」的招标编号 {tenderNumber} 已登记过投标（{projectName}）。',
      en: 'A bid on tender {tenderNumber} of {issuer} is already recorded ({projectName}).',
    },
  },
  bid_bond_not_paid: {
    title: { 'zh-CN': '保证金尚未缴纳', en: 'No bond paid' },
    detail: {
      'zh-CN': '该投标没有已缴纳的保证金，或保证金已退回，不能登记退回。',
      en: 'This bid has no paid bond, or it was refunded already; there is nothing to refund.',
    },
  },
  pool_already_claimed: {
    title: { 'zh-CN': '已被他人领取', en: 'Already claimed' },
    detail: {
      'zh-CN': '该记录已不在公海中，可能刚被其他人领取。',
      en: 'The record is no longer in the public pool; someone may have just claimed it.',
    },
  },
  pool_not_owned: {
    title: { 'zh-CN': '记录不在任何人名下', en: 'Nobody holds this record' },
    detail: { 'zh-CN': '该记录已在公海中，无需释放。', en: 'The record is already in the public pool.' },
  },
  pool_max_held: {
    title: { 'zh-CN': '持有数量已达上限', en: 'Holding limit reached' },
    detail: {
      'zh-CN': '你已持有 {held} 条线索和客户，上限为 {max}；请先释放或转化一些再领取。',
      en: 'You hold {held} leads and customers and the limit is {max}; release or convert some first.',
    },
  },
  pool_max_claims_per_day: {
    title: { 'zh-CN': '今日领取次数已用完', en: 'Daily claim limit reached' },
    detail: {
      'zh-CN': '每人每天最多领取 {max} 条，明天再来。',
      en: 'Each rep may claim at most {max} records a day; try again tomorrow.',
    },
  },
  insufficient_stock: {
    title: { 'zh-CN': '库存不足', en: 'Not enough stock' },
    detail: {
      'zh-CN': '「{location}」的商品「{sku}」可用库存为 {available}，不足 {wanted}。',
      en: '{location} has {available} of {sku} available, less than {wanted}.',
    },
  },
  insufficient_lot_stock: {
    title: { 'zh-CN': '批次或序列号库存不足', en: 'Not enough stock in that lot' },
    detail: {
      'zh-CN': '商品「{sku}」的批次/序列号「{lot}」在该库位的数量不足。',
      en: 'Lot or serial {lot} of {sku} does not have that much stock at this location.',
    },
  },
  stock_product_archived: {
    title: { 'zh-CN': '商品已归档', en: 'The product is archived' },
    detail: {
      'zh-CN': '商品「{sku}」已归档，不能再有库存变动或预留。',
      en: 'The product {sku} is archived; its stock can no longer move or be reserved.',
    },
  },
  location_archived: {
    title: { 'zh-CN': '库位已停用', en: 'The location is archived' },
    detail: {
      'zh-CN': '「{location}」已停用，不能再有库存变动。',
      en: '{location} is archived; no stock can move there.',
    },
  },
  same_location: {
    title: { 'zh-CN': '调出与调入库位相同', en: 'Same location' },
    detail: { 'zh-CN': '调拨的调出和调入库位不能相同。', en: 'A transfer needs two different locations.' },
  },
  serial_in_stock: {
    title: { 'zh-CN': '序列号已在库', en: 'Serial number already in stock' },
    detail: {
      'zh-CN': '商品「{sku}」的序列号「{serial}」已在库，同一序列号不能入库两次。',
      en: 'Serial {serial} of {sku} is already in stock; a serial number cannot be received twice.',
    },
  },
  tracking_required: {
    title: { 'zh-CN': '缺少批次号或序列号', en: 'Batch or serial number required' },
    detail: {
      'zh-CN': '商品「{sku}」按批次或序列号管理，请填写批次号或序列号。',
      en: '{sku} is tracked by batch or serial number; give one.',
    },
  },
  tracking_not_used: {
    title: { 'zh-CN': '该商品不按批次管理', en: 'Not a tracked product' },
    detail: {
      'zh-CN': '商品「{sku}」不按批次或序列号管理，请不要填写批次号或序列号。',
      en: '{sku} is not tracked by batch or serial number; leave them empty.',
    },
  },
  serial_quantity: {
    title: { 'zh-CN': '序列号数量应为 1', en: 'One unit per serial number' },
    detail: {
      'zh-CN': '商品「{sku}」按序列号管理，每个序列号的数量只能为 1。',
      en: '{sku} is serial-tracked: each serial number moves one unit.',
    },
  },
  reservation_conflict: {
    title: { 'zh-CN': '预留键已被使用', en: 'Reservation key already used' },
    detail: {
      'zh-CN': '预留键「{key}」已用于另一笔不同的预留。',
      en: 'The key {key} already belongs to a different reservation.',
    },
  },
  reservation_closed: {
    title: { 'zh-CN': '预留已结束', en: 'The reservation is closed' },
    detail: {
      'zh-CN': '预留「{key}」已释放或已出库，不能再变动。',
      en: 'Reservation {key} has been released or shipped; it cannot change.',
    },
  },
  reservation_exceeded: {
    title: { 'zh-CN': '超出预留数量', en: 'More than reserved' },
    detail: {
      'zh-CN': '预留「{key}」只剩 {remaining}。',
      en: 'Only {remaining} is left on reservation {key}.',
    },
  },
  movement_reversed: {
    title: { 'zh-CN': '已冲销', en: 'Already reversed' },
    detail: {
      'zh-CN': '这笔库存变动已冲销过，不能重复冲销。',
      en: 'This stock movement has already been reversed.',
    },
  },
  movement_is_reversal: {
    title: { 'zh-CN': '冲销记录不能再冲销', en: 'A reversal cannot be reversed' },
    detail: {
      'zh-CN': '这是一笔冲销记录；如需更正，请重新录入一笔库存变动。',
      en: 'This movement is itself a reversal; post a new movement instead.',
    },
  },
  loyalty_insufficient_points: {
    title: { 'zh-CN': '积分余额不足', en: 'Not enough points' },
    detail: {
      'zh-CN': '客户当前积分余额为 {balance}，不能扣减 {points} 积分。',
      en: 'The customer has {balance} points; {points} points cannot be taken.',
    },
  },
  loyalty_already_reversed: {
    title: { 'zh-CN': '该积分记录已冲销', en: 'Already reversed' },
    detail: {
      'zh-CN': '一条积分记录只能冲销一次，冲销记录本身不能再冲销。',
      en: 'A points entry can be reversed once, and a reversal cannot be reversed.',
    },
  },
  account_review_exists: {
    title: { 'zh-CN': '本月已有月评卡', en: 'This month is already reviewed' },
    detail: {
      'zh-CN': '该客户 {month} 的月评卡已存在，请打开修改它。',
      en: 'The customer already has a review for {month}; open and edit it instead.',
    },
  },
  account_review_manager_only: {
    title: { 'zh-CN': '仅主管可点评', en: 'Managers only' },
    detail: {
      'zh-CN': '只有管辖该客户的主管或经理可以填写主管点评。',
      en: 'Only a manager whose team covers the customer may add the manager comment.',
    },
  },
  lead_closed: {
    title: { 'zh-CN': '线索已关闭', en: 'The lead is closed' },
    detail: {
      'zh-CN': '线索当前为「{state}」（已转化或已作废），不能再修改或分配。',
      en: 'The lead is {state} (converted or disqualified); it can no longer be changed or assigned.',
    },
  },
  lead_converted: {
    title: { 'zh-CN': '线索已转化', en: 'The lead is already converted' },
    detail: {
      'zh-CN': '该线索已转化为客户，不能重复转化。',
      en: 'This lead has already been converted to a customer; it cannot be converted twice.',
    },
  },
  lead_duplicates: {
    title: { 'zh-CN': '可能已有此客户', en: 'The customer may already exist' },
    detail: {
      'zh-CN': '找到 {count} 个可能相同的客户。请选择其中一个作为转化目标，或确认新建客户。',
      en: 'Found {count} possibly matching customers. Pick one to convert into, or confirm a new customer.',
    },
  },
  visit_plan_exists: {
    title: { 'zh-CN': '当天已有拜访计划', en: 'A visit plan for that day exists' },
    detail: {
      'zh-CN': '你在 {day} 已有一份拜访计划，每人每天一份；请打开它修改。',
      en: 'You already have a visit plan for {day} (one per person per day); open it and change it.',
    },
  },
  visit_plan_not_owner: {
    title: { 'zh-CN': '只有计划人本人可以操作', en: 'Only the plan’s owner can do this' },
    detail: {
      'zh-CN': '这是他人的拜访计划：签到、签退、修改和总结只能由计划人本人完成。',
      en: 'This is someone else’s visit plan: only its owner checks in, checks out, changes it or writes the summary.',
    },
  },
  visit_plan_done: {
    title: { 'zh-CN': '拜访计划已完成', en: 'The visit plan is done' },
    detail: {
      'zh-CN': '{day} 的计划已写总结并完成，不能再修改或签到。',
      en: 'The plan for {day} has its summary and is done; it can no longer be changed or checked in.',
    },
  },
  visit_plan_not_today: {
    title: { 'zh-CN': '只能在计划当天签到', en: 'Check in on the plan’s day' },
    detail: {
      'zh-CN': '这是 {day} 的计划，只能在当天签到。',
      en: 'This plan is for {day}; check-ins are taken on that day only.',
    },
  },
  visit_stop_checked_in: {
    title: { 'zh-CN': '该站点已签到', en: 'Already checked in at this stop' },
    detail: {
      'zh-CN': '已签到的拜访不能重复签到、删除或更换客户。',
      en: 'A stop checked in cannot be checked in again, removed or given another customer.',
    },
  },
  visit_stop_not_checked_in: {
    title: { 'zh-CN': '请先签到', en: 'Check in first' },
    detail: { 'zh-CN': '签退前需要先在该客户处签到。', en: 'Check in at the customer before checking out.' },
  },
  calendar_range_too_long: {
    title: { 'zh-CN': '日期范围过长', en: 'Date range too long' },
    detail: {
      'zh-CN': '日历一次最多显示 {days} 天。',
      en: 'The calendar shows at most {days} days at a time.',
    },
  },
  location_has_stock: {
    title: { 'zh-CN': '库位仍有库存', en: 'The location still holds stock' },
    detail: {
      'zh-CN': '「{name}」还有 {products} 种商品有库存或预留，请先调拨或报损后再停用。',
      en: '"{name}" still holds or reserves {products} products; transfer or write them off before archiving it.',
    },
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
  receipt_wrong_state: {
    title: { 'zh-CN': '入库单状态不允许此操作', en: 'Not possible in this state' },
    detail: {
      'zh-CN': '入库单 {number} 当前为「{state}」，不能{action}。',
      en: 'Receipt {number} is {state}; it cannot be {action}.',
    },
  },
  count_wrong_state: {
    title: { 'zh-CN': '盘点单状态不允许此操作', en: 'Not possible in this state' },
    detail: {
      'zh-CN': '盘点单 {number} 当前为「{state}」，不能{action}。',
      en: 'Count {number} is {state}; it cannot be {action}.',
    },
  },
  count_incomplete: {
    title: { 'zh-CN': '还有未盘点的行', en: 'Lines not counted yet' },
    detail: {
      'zh-CN': '盘点单 {number} 还有 {n} 行未填写实盘数量，请填写后再过账（未找到请填 0）。',
      en: 'Count {number} has {n} lines without a counted quantity; enter them (0 when none was found) before posting.',
    },
  },
  invoice_wrong_state: {
    title: { 'zh-CN': '发票当前状态不允许此操作', en: 'Not possible in the invoice’s current state' },
    detail: {
      'zh-CN': '发票 {number} 当前为「{state}」，不能{action}。请刷新后查看。',
      en: 'Invoice {number} is {state}; it cannot be {action}. Reload to see its current state.',
    },
  },
  invoice_not_editable: {
    title: { 'zh-CN': '发票已开具，不能修改', en: 'An issued invoice cannot be changed' },
    detail: {
      'zh-CN': '发票 {number} 当前为「{state}」。已开具的发票不能修改；如有错误请作废或开具红字发票。',
      en: 'Invoice {number} is {state}. Issued invoices are never changed: void it or issue a credit note.',
    },
  },
  invoice_has_payments: {
    title: { 'zh-CN': '发票已有回款，不能作废', en: 'The invoice has payments' },
    detail: {
      'zh-CN': '发票 {number} 已回款 {paid}，不能作废。请先冲回回款或开具红字发票。',
      en: 'Invoice {number} has {paid} paid against it and cannot be voided. Reverse the payments or issue a credit note.',
    },
  },
  invoice_special_missing: {
    title: { 'zh-CN': '专票信息不完整', en: 'Special VAT invoice details are missing' },
    detail: {
      'zh-CN': '开具增值税专用发票须填写购买方的：{missing}。',
      en: 'A special VAT invoice needs the buyer’s {missing}.',
    },
  },
  invoice_no_lines: {
    title: { 'zh-CN': '发票没有明细', en: 'The invoice has no lines' },
    detail: { 'zh-CN': '请至少添加一行开票明细。', en: 'Add at least one line to the invoice.' },
  },
  invoice_source_exceeded: {
    title: { 'zh-CN': '超出可开票金额', en: 'More than is left to invoice' },
    detail: {
      'zh-CN': '第 {line} 行：来源尚可开票 {remaining}，本次开票 {requested}。',
      en: 'Line {line}: {remaining} is left to invoice on its source; this invoice asks for {requested}.',
    },
  },
  invoice_contract_order: {
    title: {
      'zh-CN': '合同订单按合同分期开票',
      en: 'Orders under a contract are invoiced by installment',
    },
    detail: {
      'zh-CN': '订单 {order} 属于合同 {contract}：请在合同的分期上开具发票，以免同一笔应收计入两次。',
      en: 'Order {order} belongs to contract {contract}: invoice the contract’s installments instead, so the same receivable is not counted twice.',
    },
  },
  invoice_source_mismatch: {
    title: {
      'zh-CN': '开票来源不属于该客户或合同',
      en: 'The source does not belong to this customer or contract',
    },
    detail: {
      'zh-CN': '第 {line} 行的来源不属于本发票的客户或合同。',
      en: 'The source of line {line} does not belong to this invoice’s customer or contract.',
    },
  },
  credit_note_exceeds_invoice: {
    title: { 'zh-CN': '红字金额超出原发票', en: 'The credit note exceeds the invoice' },
    detail: {
      'zh-CN': '第 {line} 行：原发票尚可冲红 {remaining}（数量 {quantity}），本次冲红 {requested}。',
      en: 'Line {line}: {remaining} (quantity {quantity}) is left to credit on the invoice; this credit note asks for {requested}.',
    },
  },
  allocation_exceeds_open: {
    title: { 'zh-CN': '超出发票未收金额', en: 'More than the invoice’s open amount' },
    detail: {
      'zh-CN': '发票 {number} 未收金额为 {open}，不能核销 {requested}。',
      en: 'Invoice {number} has {open} open; {requested} cannot be applied to it.',
    },
  },
  duplicate_fapiao_number: {
    title: { 'zh-CN': '发票号码已存在', en: 'Fapiao number already used' },
    detail: {
      'zh-CN': '发票号码 {fapiaoNumber} 已登记在发票 {number}。',
      en: 'Fapiao number {fapiaoNumber} is already recorded on invoice {number}.',
    },
  },
  // Payments and receivables (回款与应收)
  currency_mismatch: {
    title: { 'zh-CN': '币种不符', en: 'Currency mismatch' },
    detail: {
      'zh-CN': '回款只能以人民币（CNY）登记，收到的是 {currency}。',
      en: 'Payments are recorded in CNY only; this one is in {currency}.',
    },
  },
  idempotency_key_required: {
    title: { 'zh-CN': '缺少幂等键', en: 'Idempotency-Key required' },
    detail: {
      'zh-CN': '登记回款须带 Idempotency-Key 请求头，重试时使用同一个键，避免重复入账。',
      en: 'Posting a payment needs an Idempotency-Key header; retry with the same key so it is booked once.',
    },
  },
  idempotency_conflict: {
    title: { 'zh-CN': '幂等键已被使用', en: 'Idempotency-Key already used' },
    detail: {
      'zh-CN': '该幂等键已用于另一笔内容不同的回款（{number}）。',
      en: 'This Idempotency-Key was already used for a different payment ({number}).',
    },
  },
  payment_already_reversed: {
    title: { 'zh-CN': '回款已冲销', en: 'Payment already reversed' },
    detail: {
      'zh-CN': '回款 {number} 已冲销，不能再冲销或核销。',
      en: 'Payment {number} has been reversed; it cannot be reversed or applied again.',
    },
  },
  payment_is_reversal: {
    title: { 'zh-CN': '冲销记录不能再操作', en: 'A reversal cannot be changed' },
    detail: {
      'zh-CN': '{number} 是一笔冲销记录，不能冲销或核销。',
      en: '{number} is a reversal; it cannot be reversed or applied.',
    },
  },
  allocation_exceeds_payment: {
    title: { 'zh-CN': '核销金额超过回款', en: 'More allocated than received' },
    detail: {
      'zh-CN': '核销合计 {total} 超过回款可核销金额 {amount}。',
      en: 'The allocations total {total}, more than the {amount} this payment can still apply.',
    },
  },
  installment_exceeds_open: {
    title: { 'zh-CN': '超出分期未收金额', en: 'More than the installment’s open amount' },
    detail: {
      'zh-CN': '{label} 未收金额为 {open}，不能核销 {requested}。',
      en: '{label} has {open} open; {requested} cannot be applied to it.',
    },
  },
  receivable_not_open: {
    title: { 'zh-CN': '不是该客户的未收款项', en: 'Not an open item of this customer' },
    detail: {
      'zh-CN': '所选发票或分期不属于该客户，或已开票、已作废、已收清。',
      en: 'The invoice or installment is not an open item of this customer (another customer, invoiced, void or paid).',
    },
  },
  target_unbalanced: {
    title: { 'zh-CN': '下级目标合计与上级不一致', en: 'Children do not add up to the target' },
    detail: {
      'zh-CN': '「{node}」的目标为 {amount}，下级合计 {sum}，相差 {difference}。请调整后再发布。',
      en: 'The target of "{node}" is {amount} but its children add up to {sum}, a difference of {difference}. Adjust them before publishing.',
    },
  },
  target_period_outside_year: {
    title: { 'zh-CN': '期间不在目标年度内', en: 'Period outside the target year' },
    detail: {
      'zh-CN': '期间 {start} 至 {end} 不在「{node}」的期间（{year} 年度，{parentStart} 至 {parentEnd}）内。',
      en: 'The period {start} to {end} is outside "{node}" ({year}: {parentStart} to {parentEnd}).',
    },
  },
  target_bad_split: {
    title: { 'zh-CN': '不能这样分解目标', en: 'This split is not possible' },
    detail: {
      'zh-CN': '「{node}」不能按所选方式分解：{reason}',
      en: '"{node}" cannot be split this way: {reason}',
    },
  },
  target_published: {
    title: { 'zh-CN': '目标已发布', en: 'Target already published' },
    detail: {
      'zh-CN': '「{node}」的目标已发布并发出责任书。如需修改，请让责任人驳回责任书，或提交目标调整申请。',
      en: 'The target of "{node}" is published and its agreement sent. Have the assignee reject the agreement, or request a change.',
    },
  },
  target_agreement_signed: {
    title: { 'zh-CN': '目标责任书已签署', en: 'Target agreement signed' },
    detail: {
      'zh-CN': '「{node}」的目标已签署责任书，修改须提交目标调整申请并经审批通过。',
      en: 'The target of "{node}" is covered by a signed agreement; a change needs an approved change request.',
    },
  },
  forecast_month_closed: {
    title: { 'zh-CN': '该月预测已关闭', en: 'The month’s forecast is closed' },
    detail: {
      'zh-CN': '{month} 已结束，承诺额不能再提交或调整。',
      en: '{month} has ended; its commit can no longer be submitted or adjusted.',
    },
  },
  target_agreement_closed: {
    title: { 'zh-CN': '责任书当前状态不允许此操作', en: 'Not possible in the agreement’s current state' },
    detail: {
      'zh-CN': '责任书 {number} 当前为「{state}」，不能再签署或驳回。',
      en: 'Agreement {number} is {state}; it can no longer be signed or rejected.',
    },
  },
  target_metric_not_by_dimension: {
    title: { 'zh-CN': '该指标不能按此维度分解', en: 'This metric does not split this way' },
    detail: {
      'zh-CN': '「{metric}」没有按{dimension}统计的口径，不能按{dimension}分解。',
      en: '{metric} has no meaning per {dimension}, so it cannot be split by {dimension}.',
    },
  },
  target_change_pending: {
    title: { 'zh-CN': '已有待审批的目标调整', en: 'A change request is already pending' },
    detail: {
      'zh-CN': '「{node}」已有待审批的目标调整申请，请等待审批结果。',
      en: '"{node}" already has a change request waiting for approval.',
    },
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
  quantity: {
    'zh-CN': '数量须为非零数字，最多三位小数',
    en: 'A non-zero number with at most three decimals',
  },
  passwordPolicy: {
    'zh-CN': '至少 {n} 位，须同时包含字母和数字，且不能与用户名相同',
    en: 'At least {n} characters with letters and digits, not the username',
  },
  timeZone: { 'zh-CN': '未知时区', en: 'Unknown time zone' },
  division: { 'zh-CN': '未知的省市代码', en: 'Unknown province/city code' },
  adjustmentGain: { 'zh-CN': '盘盈的数量应为正数', en: 'A count gain is a positive quantity' },
  adjustmentLoss: {
    'zh-CN': '盘亏或报损的数量应为负数',
    en: 'A count loss or damage is a negative quantity',
  },
  invalid: { 'zh-CN': '取值无效', en: 'Invalid value' },
  creditCode: {
    'zh-CN': '统一社会信用代码不正确（应为 18 位且校验位正确）',
    en: 'Not a valid unified social credit code (18 characters with a correct check character)',
  },
  phone: { 'zh-CN': '电话号码格式不正确', en: 'Not a valid phone number' },
  formula: {
    'zh-CN': '不导入公式，请复制后“粘贴为数值”',
    en: 'Formulas are not imported; copy and paste as values',
  },
  mobileOrEmail: { 'zh-CN': '手机号和邮箱至少填写一项', en: 'Give a mobile number or an email' },
  duplicateInFile: { 'zh-CN': '与第 {row} 行重复', en: 'Same as row {row}' },
  exists: { 'zh-CN': '已存在相同的记录', en: 'A record with this value exists already' },
  notFoundValue: { 'zh-CN': '找不到“{value}”', en: 'No match for "{value}"' },
  ambiguousValue: {
    'zh-CN': '“{value}”匹配到多条记录，请填写编码或完整路径',
    en: '"{value}" matches several records; use the code or the full path',
  },
  vin: {
    'zh-CN': '车架号应为 17 位数字和大写字母（不含 I、O、Q）',
    en: 'A VIN has 17 digits and capital letters (no I, O or Q)',
  },
  unitStageDates: { 'zh-CN': '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  stageKinds: {
    'zh-CN': '须有至少一个进行中阶段，且恰好一个赢单阶段和一个输单阶段',
    en: 'Needs at least one open stage and exactly one won and one lost stage',
  },
  unitDuplicate: { 'zh-CN': '列表中有重复项', en: 'The list repeats an item' },
  unitsOrGrade: { 'zh-CN': '请选择房源或指定等级（二选一）', en: 'Choose units or a grade, not both' },
  unitPriceOrPercent: {
    'zh-CN': '请填写新总价或调价百分比（二选一）；按等级调价只能用百分比',
    en: 'Give a new total price or a percentage, not both; a grade is repriced by percentage only',
  },
  unitState: { 'zh-CN': '{number} 当前为「{state}」', en: '{number} is {state}' },
  vatRate: {
    'zh-CN': '税率应为 0、1%、3%、5%、6%、9% 或 13%',
    en: 'The VAT rate must be 0, 1%, 3%, 5%, 6%, 9% or 13%',
  },
  cron: {
    'zh-CN': '不是有效的 cron 表达式（分 时 日 月 周）',
    en: 'Not a valid cron expression (minute hour day month weekday)',
  },
  serialRepeated: {
    'zh-CN': '序列号「{serial}」在本单中重复',
    en: 'Serial number {serial} appears twice on this document',
  },
  serialCount: {
    'zh-CN': '数量应等于序列号个数（{n}）',
    en: 'The quantity must equal the number of serial numbers ({n})',
  },
  trackingNotUsed: {
    'zh-CN': '该商品不按批次或序列号管理，请留空',
    en: 'This product is not tracked by batch or serial number; leave it empty',
  },
  costNotAllowed: {
    'zh-CN': '无查看成本的权限，不能填写单位成本',
    en: 'Only users who may see costs can enter a unit cost',
  },
  installmentOrder: {
    'zh-CN': '到期日须晚于上一期',
    en: 'The due date must be after the previous installment’s',
  },
  installmentBeforeStart: {
    'zh-CN': '到期日不能早于合同开始日期',
    en: 'The due date cannot be before the contract’s start date',
  },
  installmentAfterEnd: {
    'zh-CN': '到期日不能晚于 {latest}（合同结束后一年）',
    en: 'The due date cannot be after {latest} (a year after the contract ends)',
  },
  bidDeadlineAfterPurchase: {
    'zh-CN': '投标截止时间须晚于标书购买日期',
    en: 'The submission deadline must be after the day the tender documents were bought',
  },
  bidQuestionWindow: {
    'zh-CN': '答疑截止时间须在标书购买日期与投标截止时间之间',
    en: 'The question deadline must lie between the purchase date and the submission deadline',
  },
  bidOpeningBeforeDeadline: {
    'zh-CN': '开标时间不能早于投标截止时间',
    en: 'The opening cannot be before the submission deadline',
  },
  bidRefundBeforePayment: {
    'zh-CN': '退回日期不能早于缴纳日期',
    en: 'The refund date cannot be before the payment date',
  },
  bidIssuerRequired: {
    'zh-CN': '请选择招标方客户或填写招标方名称',
    en: 'Choose the issuing customer or enter the issuer’s name',
  },
  expiryBeforeProduction: {
    'zh-CN': '有效期不能早于生产日期',
    en: 'The expiry date cannot be before the production date',
  },
  attainmentThresholds: {
    'zh-CN': '黄灯阈值须在 1%–绿灯阈值之间，绿灯阈值不超过 200%',
    en: 'The amber threshold must be between 1 % and the green one, and green at most 200 %',
  },
  bestCaseBelowCommit: {
    'zh-CN': '乐观预测不能低于承诺额',
    en: 'The best case cannot be below the commit',
  },
  factsWindow: {
    'zh-CN': '结束日期不能早于开始日期，区间不超过 10 年',
    en: 'The end date cannot be before the start date, and the range is at most 10 years',
  },
} satisfies Record<string, Record<Locale, string>>;

export type ValidationMessageKey = keyof typeof validationMessages;
