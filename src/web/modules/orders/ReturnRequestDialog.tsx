import { useQuery } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal, Radio, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ReturnDetail, returnable } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { yuan } from '../sales/ContractParts.js';
import { RETURN_REASONS, RETURN_TYPES } from './ReturnParts.js';

type Returnable = z.infer<typeof returnable>;
type Line = Returnable['lines'][number];
interface Values {
  type: 'return' | 'exchange';
  reason: (typeof RETURN_REASONS)[number];
  note?: string;
  lines: { quantity?: string; batchNo?: string; serialNos?: string[] }[];
}

/** 申请退货: from a shipped order, the quantities to send back (≤ shipped − returned), reason and type. */
export function ReturnRequestDialog({
  orderId,
  onClose,
  onDone,
}: {
  orderId: string;
  onClose: () => void;
  onDone: (created: ReturnDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: ['returnable', orderId],
    queryFn: () => api.get<Returnable>(`/returns/returnable?orderId=${orderId}`),
  });
  const lines = (query.data?.lines ?? []).filter((l) => l.returnable !== '0');
  const reason = Form.useWatch('reason', form);

  async function submit() {
    const v = await form.validateFields();
    const picked = v.lines
      .map((l, i) => ({ ...l, line: lines[i]! }))
      .filter((l) => l.quantity && Number(l.quantity) > 0)
      .map(({ line, ...l }) => ({
        orderLineId: line.orderLineId,
        quantity: String(l.quantity),
        ...(l.batchNo ? { batchNo: l.batchNo } : {}),
        ...(l.serialNos?.length ? { serialNos: l.serialNos } : {}),
      }));
    if (!picked.length) {
      void message.warning(t('returns.nothingToReturn'));
      return;
    }
    setBusy(true);
    try {
      const created = await api.post<ReturnDetail>('/returns', {
        orderId,
        type: v.type,
        reason: v.reason,
        ...(v.note ? { note: v.note } : {}),
        lines: picked,
      });
      void message.success(t('returns.requested', { number: created.number }));
      onDone(created);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      width={820}
      title={t('returns.requestTitle', { number: query.data?.orderNumber ?? '' })}
      okText={t('returns.submit')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ 'data-testid': 'return-submit', disabled: !lines.length }}
    >
      {query.data && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ type: 'return', lines: lines.map(() => ({ quantity: undefined })) }}
        >
          <Space wrap align="start">
            <Form.Item name="type" label={t('returns.type')}>
              <Radio.Group
                options={RETURN_TYPES.map((v) => ({ value: v, label: t(`returns.types.${v}`) }))}
                data-testid="return-type"
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('returns.reason')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Select
                style={{ width: 200 }}
                data-testid="return-reason"
                options={RETURN_REASONS.map((v) => ({ value: v, label: t(`returns.reasons.${v}`) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="note"
            label={t('returns.note')}
            rules={[{ required: reason === 'other', message: t('validation.required') }]}
          >
            <Input.TextArea maxLength={1000} rows={2} data-testid="return-note" />
          </Form.Item>
          <Table<Line>
            rowKey="orderLineId"
            size="small"
            pagination={false}
            dataSource={lines}
            locale={{ emptyText: t('returns.nothingReturnable') }}
            columns={[
              { title: t('returns.product'), key: 'p', render: (_, l) => `${l.sku} ${l.productName}` },
              { title: t('returns.shipped'), dataIndex: 'shipped', align: 'right' as const },
              { title: t('returns.returned'), dataIndex: 'returned', align: 'right' as const },
              {
                title: t('returns.unitPrice'),
                dataIndex: 'unitPrice',
                align: 'right' as const,
                render: (v: number) => yuan(v),
              },
              {
                title: t('returns.quantity'),
                key: 'q',
                render: (_, l, i) => (
                  <Space direction="vertical" size={4}>
                    <Form.Item name={['lines', i, 'quantity']} style={{ margin: 0 }}>
                      <InputNumber
                        min="0"
                        max={l.returnable}
                        stringMode
                        style={{ width: 110 }}
                        data-testid={`return-quantity-${i}`}
                      />
                    </Form.Item>
                    {l.trackingMode === 'batch' && (
                      <Form.Item name={['lines', i, 'batchNo']} style={{ margin: 0 }}>
                        <Input placeholder={t('returns.batchNo')} style={{ width: 160 }} />
                      </Form.Item>
                    )}
                    {l.trackingMode === 'serial' && (
                      <Form.Item name={['lines', i, 'serialNos']} style={{ margin: 0 }}>
                        <Select mode="tags" placeholder={t('returns.serialNos')} style={{ width: 240 }} />
                      </Form.Item>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Form>
      )}
    </Modal>
  );
}
