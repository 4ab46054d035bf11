import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { CycleCountDetail } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { HistoryDrawer } from '../platform/HistoryDrawer.js';
import { CountStatusTag } from './ReceiptParts.js';
import { type PickedProduct, ProductSelect } from './StockForms.js';

type Line = CycleCountDetail['lines'][number];
const COUNTED = /^\d{1,12}(\.\d{1,3})?$/;

/** A variance shown with its sign: a gain green, a loss red. */
function Variance({ value }: { value: string | null }) {
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const n = Number(value);
  if (n === 0) return <span>0</span>;
  return <Typography.Text type={n > 0 ? 'success' : 'danger'}>{n > 0 ? `+${value}` : value}</Typography.Text>;
}

/** One count: the sheet counters fill in, the differences, and posting them as adjustments. */
export function CycleCountPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['cycle-counts', id],
    queryFn: () => api.get<CycleCountDetail>(`/cycle-counts/${id}`),
  });
  const c = q.data;
  /** What was typed and not saved yet: line id → counted text ('' clears). */
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [adding, setAdding] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [picked, setPicked] = useState<PickedProduct>();
  const [addForm] = Form.useForm();
  const [cancelForm] = Form.useForm<{ reason: string }>();
  const version = c?.version;
  // A saved (or someone else's) change gives a new version: what was typed is in it now.
  useEffect(() => {
    if (version !== undefined) setTyped({});
  }, [version]);

  const open = c?.status === 'draft' || c?.status === 'counting';
  const mayCount = can('stock.count') && open;
  const dirty = Object.keys(typed).length > 0;
  const invalid = Object.values(typed).some((v) => v !== '' && !COUNTED.test(v.trim()));

  async function send(path: string, body: object, done?: string) {
    setBusy(true);
    try {
      await api.post(`/cycle-counts/${id}/${path}`, body);
      await client.invalidateQueries({ queryKey: ['cycle-counts'] });
      void client.invalidateQueries({ queryKey: ['stock'] });
      if (done) void message.success(done);
      return true;
    } catch (err) {
      showError(err, message);
      return false;
    } finally {
      setBusy(false);
    }
  }
  const saveCounts = () =>
    send(
      'counts',
      {
        lines: Object.entries(typed).map(([lineId, v]) => ({
          lineId,
          counted: v.trim() === '' ? null : v.trim(),
        })),
        version: c!.version,
      },
      t('common.saved'),
    );

  if (!c) return <Card loading />;
  const hideExpected = c.blind && open;
  const columns = [
    { title: '#', dataIndex: 'lineNo', width: 48 },
    {
      title: t('receipts.product'),
      dataIndex: 'sku',
      render: (sku: string, l: Line) => `${sku} ${l.productName}`,
    },
    {
      title: t('receipts.lot'),
      key: 'lot',
      render: (_: unknown, l: Line) => l.batchNo ?? l.serialNo ?? '—',
    },
    ...(hideExpected
      ? []
      : [
          {
            title: t('receipts.expected'),
            dataIndex: 'expected',
            align: 'right' as const,
            render: (v: string | null) => v ?? '—',
          },
        ]),
    {
      title: t('receipts.counted'),
      key: 'counted',
      render: (_: unknown, l: Line) =>
        mayCount ? (
          <Input
            style={{ width: 110 }}
            value={typed[l.id] ?? l.counted ?? ''}
            status={typed[l.id] && !COUNTED.test(typed[l.id]!.trim()) ? 'error' : undefined}
            onChange={(e) => setTyped((m) => ({ ...m, [l.id]: e.target.value }))}
            suffix={l.uom}
            data-testid={`count-line-${l.lineNo}`}
          />
        ) : (
          (l.counted ?? '—')
        ),
    },
    ...(hideExpected
      ? []
      : [
          {
            title: t('receipts.variance'),
            dataIndex: 'variance',
            align: 'right' as const,
            render: (v: string | null) => <Variance value={v} />,
          },
        ]),
    ...(c.status === 'posted'
      ? [
          { title: t('receipts.onHandAtPosting'), dataIndex: 'onHandAtPosting', align: 'right' as const },
          {
            title: t('receipts.difference'),
            dataIndex: 'difference',
            align: 'right' as const,
            render: (v: string | null) => <Variance value={v} />,
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={
          <Space>
            {t('receipts.countTitle', { number: c.number })}
            <CountStatusTag status={c.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => setHistoryOpen(true)}>{t('receipts.history')}</Button>
            {mayCount && (
              <>
                <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="count-add-found">
                  {t('receipts.addFound')}
                </Button>
                <Button
                  onClick={() => void saveCounts()}
                  disabled={!dirty || invalid}
                  loading={busy}
                  data-testid="count-save"
                >
                  {t('receipts.saveCounts')}
                </Button>
                <Popconfirm
                  title={t('receipts.postCountConfirm')}
                  onConfirm={() => void send('post', { version: c.version }, t('receipts.countPosted'))}
                  disabled={dirty}
                >
                  <Button type="primary" disabled={dirty} loading={busy} data-testid="count-post">
                    {t('receipts.postCount')}
                  </Button>
                </Popconfirm>
                <Button danger onClick={() => setCancelling(true)}>
                  {t('receipts.cancelCount')}
                </Button>
              </>
            )}
          </Space>
        }
      />
      {mayCount && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={hideExpected ? t('receipts.blindNotice') : t('receipts.countRule')}
        />
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={t('receipts.warehouse')}>
            {c.warehouseCode} {c.warehouseName}
          </Descriptions.Item>
          <Descriptions.Item label={t('receipts.category')}>
            {c.categoryName ?? t('receipts.allProducts')}
          </Descriptions.Item>
          <Descriptions.Item label={t('receipts.snapshotAt')}>{formatTime(c.snapshotAt)}</Descriptions.Item>
          <Descriptions.Item label={t('receipts.progress')}>
            {c.countedLines} / {c.lineCount}
          </Descriptions.Item>
          {!hideExpected && (
            <Descriptions.Item label={t('receipts.differingLines')}>{c.differingLines}</Descriptions.Item>
          )}
          {c.postedAt && (
            <Descriptions.Item label={t('receipts.postedAt')}>{formatTime(c.postedAt)}</Descriptions.Item>
          )}
          {c.cancelReason && (
            <Descriptions.Item label={t('receipts.cancelReason')}>{c.cancelReason}</Descriptions.Item>
          )}
          {c.note && <Descriptions.Item label={t('receipts.note')}>{c.note}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={c.lines}
        scroll={{ x: 'max-content' }}
        onRow={(l) => ({
          style:
            !hideExpected && l.variance !== null && Number(l.variance) !== 0
              ? { background: '#fff7e6' }
              : undefined,
        })}
      />
      <HistoryDrawer
        path={historyOpen ? `/cycle-counts/${c.id}/history` : null}
        title={c.number}
        onClose={() => setHistoryOpen(false)}
      />
      <Modal
        open={adding}
        title={t('receipts.addFound')}
        onCancel={() => setAdding(false)}
        okButtonProps={{ loading: busy }}
        destroyOnHidden
        onOk={async () => {
          const v = await addForm.validateFields();
          const ok = await send('counts', {
            added: [
              {
                productId: v.productId,
                batchNo: v.batchNo || null,
                serialNo: v.serialNo || null,
                counted: v.counted,
              },
            ],
            version: c.version,
          });
          if (ok) setAdding(false);
        }}
      >
        <Form form={addForm} layout="vertical" preserve={false}>
          <Form.Item name="productId" label={t('receipts.product')} rules={[rules.required()]}>
            <ProductSelect onPicked={setPicked} />
          </Form.Item>
          {picked?.trackingMode === 'batch' && (
            <Form.Item name="batchNo" label={t('receipts.batchNo')} rules={[rules.required()]}>
              <Input maxLength={64} />
            </Form.Item>
          )}
          {picked?.trackingMode === 'serial' && (
            <Form.Item name="serialNo" label={t('receipts.serialNo')} rules={[rules.required()]}>
              <Input maxLength={64} />
            </Form.Item>
          )}
          <Form.Item
            name="counted"
            label={t('receipts.counted')}
            rules={[
              rules.required(),
              {
                validator: (_, v: string | undefined) =>
                  !v || COUNTED.test(v.trim())
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('receipts.quantityFormat'))),
              },
            ]}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={cancelling}
        title={t('receipts.cancelCount')}
        onCancel={() => setCancelling(false)}
        okButtonProps={{ danger: true, loading: busy }}
        destroyOnHidden
        onOk={async () => {
          const { reason } = await cancelForm.validateFields();
          if (await send('cancel', { version: c.version, reason }, t('receipts.countCancelled')))
            setCancelling(false);
        }}
      >
        <Form form={cancelForm} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('receipts.cancelReason')} rules={[rules.required()]}>
            <Input.TextArea maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
