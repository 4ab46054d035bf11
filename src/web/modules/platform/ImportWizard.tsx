import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Flex,
  Input,
  Modal,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
  type UploadProps,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail, ImportError, ImportSummary } from '../../../contracts/index.js';
import { ApiError, api, type Page } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { downloadFile } from './ExportButton.js';

type UploadRequest = Parameters<NonNullable<UploadProps['customRequest']>>[0];
type Duplicates = 'skip' | 'update' | 'create';
type Mode = 'all_or_nothing' | 'batches';

const RUNNING = new Set(['checking', 'importing']);

export const importStatusColor: Record<ImportSummary['status'], string> = {
  uploaded: 'default',
  checking: 'processing',
  checked: 'blue',
  importing: 'processing',
  done: 'green',
  failed: 'red',
};

function stepOf(d: ImportDetail | null): number {
  if (!d) return 0;
  if (d.status === 'uploaded') return 1;
  if (d.status === 'checking' || d.status === 'checked') return 2;
  if (d.status === 'importing') return 3;
  return 4;
}

/** The row errors of one pass, with a download of the full report. */
function RowErrors({ detail, phase }: { detail: ImportDetail; phase: 'dry_run' | 'run' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errors = useQuery({
    queryKey: ['import-errors', detail.id, phase, detail.version],
    queryFn: () => api.get<Page<ImportError>>(`/imports/${detail.id}/errors`, { phase, limit: 200 }),
  });
  const total = errors.data?.total ?? 0;
  if (!total) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center">
        <Typography.Text type="danger">{t('imports.errorCount', { count: total })}</Typography.Text>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          onClick={() => void downloadFile(`/imports/${detail.id}/report`, { phase }, message)}
          data-testid="import-report"
        >
          {t('imports.downloadReport')}
        </Button>
      </Flex>
      <Table<ImportError>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ y: 240 }}
        dataSource={errors.data?.items ?? []}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 80 },
          {
            title: t('imports.column'),
            dataIndex: 'column',
            width: 140,
            render: (c: string | null) => c ?? '—',
          },
          { title: t('imports.problem'), dataIndex: 'message' },
        ]}
        data-testid="import-errors"
      />
      {total > (errors.data?.items.length ?? 0) && (
        <Typography.Text type="secondary">{t('imports.moreInReport')}</Typography.Text>
      )}
    </Space>
  );
}

function Counts({ counts, dry }: { counts: NonNullable<ImportDetail['result']>; dry?: boolean }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      column={5}
      bordered
      data-testid={dry ? 'import-dry-run-counts' : 'import-counts'}
    >
      <Descriptions.Item label={t('imports.rows')}>{counts.total}</Descriptions.Item>
      <Descriptions.Item label={t(dry ? 'imports.wouldCreate' : 'imports.created')}>
        {counts.created}
      </Descriptions.Item>
      <Descriptions.Item label={t(dry ? 'imports.wouldUpdate' : 'imports.updated')}>
        {counts.updated}
      </Descriptions.Item>
      <Descriptions.Item label={t('imports.skipped')}>{counts.skipped}</Descriptions.Item>
      <Descriptions.Item label={t('imports.failed')}>{counts.failed}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * The import wizard every module reuses: upload → column mapping → dry run → mode and
 * duplicates → background run with progress → result with a downloadable error report.
 * `importId` reopens an earlier import (from the history page).
 */
export function ImportWizard({
  entity,
  importId,
  open,
  onClose,
}: {
  entity?: string;
  importId?: string;
  open: boolean;
  onClose: (changed: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const client = useQueryClient();
  const [id, setId] = useState<string | undefined>(importId);
  // The user's changes to the proposed mapping, by column position.
  const [edits, setEdits] = useState<Record<number, string | null>>({});
  const [duplicates, setDuplicates] = useState<Duplicates>('skip');
  const [mode, setMode] = useState<Mode>('all_or_nothing');
  const [initialPassword, setInitialPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  useEffect(() => {
    if (open) {
      setId(importId);
      setEdits({});
    }
  }, [open, importId]);

  const query = useQuery({
    queryKey: ['import', id],
    queryFn: () => api.get<ImportDetail>(`/imports/${id}`),
    enabled: !!id && open,
    refetchInterval: (q) => (q.state.data && RUNNING.has(q.state.data.status) ? 1000 : false),
  });
  const detail = id ? (query.data ?? null) : null;
  const mapping = detail?.columns.map((c) => (c.index in edits ? (edits[c.index] ?? null) : c.field)) ?? [];

  const usersEntity = (detail?.entity ?? entity) === 'users';

  function upload({ file, onProgress, onSuccess, onError }: UploadRequest) {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/imports?${new URLSearchParams({ entity: entity ?? '' })}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', i18n.language);
    xhr.setRequestHeader('x-csrf-token', me?.csrfToken ?? '');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.({ percent: (e.loaded / e.total) * 100 });
    };
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const created = body as unknown as ImportDetail;
        client.setQueryData(['import', created.id], created);
        setId(created.id);
        setEdits({});
        onSuccess?.(created);
        return;
      }
      const err = new ApiError(
        xhr.status,
        String(body.code ?? 'internal'),
        String(body.title ?? xhr.statusText),
        body.detail as string | undefined,
        (body.errors as ApiError['errors']) ?? [],
      );
      showError(err, message);
      onError?.(err);
    };
    xhr.onerror = () => {
      showError(new Error('network'), message);
      onError?.(new Error('network'));
    };
    const form = new FormData();
    form.append('file', file as Blob, (file as File).name);
    xhr.send(form);
    return { abort: () => xhr.abort() };
  }

  async function act(fn: () => Promise<ImportDetail>) {
    setBusy(true);
    try {
      const next = await fn();
      client.setQueryData(['import', next.id], next);
    } catch (err) {
      showError(err, message);
      await query.refetch();
    } finally {
      setBusy(false);
    }
  }

  const options = () => ({
    duplicates,
    ...(usersEntity && initialPassword ? { initialPassword } : {}),
  });

  /** Saves a changed mapping first, then starts the pass. */
  async function saveMapping(d: ImportDetail): Promise<ImportDetail> {
    const same = d.columns.every((c, i) => c.field === (mapping[i] ?? null));
    if (same) return d;
    const saved = await api.put<ImportDetail>(`/imports/${d.id}/mapping`, { mapping, version: d.version });
    setEdits({});
    return saved;
  }

  const startDryRun = (d: ImportDetail) =>
    act(async () => {
      const saved = await saveMapping(d);
      return api.post<ImportDetail>(`/imports/${d.id}/dry-run`, { ...options(), version: saved.version });
    });
  const startRun = (d: ImportDetail) =>
    act(async () => {
      const saved = await saveMapping(d);
      setChanged(true);
      return api.post<ImportDetail>(`/imports/${d.id}/run`, { ...options(), mode, version: saved.version });
    });

  const close = () => {
    onClose(changed);
    setId(undefined);
    setInitialPassword('');
  };

  const fieldOptions = [
    { value: '', label: t('imports.ignoreColumn') },
    ...(detail?.fields ?? []).map((f) => ({ value: f.key, label: f.required ? `${f.label} *` : f.label })),
  ];
  const mapped = new Set(mapping.filter(Boolean));
  const missing = (detail?.fields ?? []).filter((f) => f.required && !mapped.has(f.key));

  const settingsForm = detail && (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{t('imports.duplicates')}</Typography.Text>
        <Radio.Group
          value={duplicates}
          onChange={(e) => setDuplicates(e.target.value)}
          data-testid="import-duplicates"
        >
          <Radio value="skip">{t('imports.duplicateSkip')}</Radio>
          <Radio value="update">{t('imports.duplicateUpdate')}</Radio>
          {detail.createDuplicates && <Radio value="create">{t('imports.duplicateCreate')}</Radio>}
        </Radio.Group>
        <Typography.Text type="secondary">
          {t('imports.duplicateKey', {
            field: detail.fields.find((f) => f.key === detail.duplicateKey)?.label ?? detail.duplicateKey,
          })}
        </Typography.Text>
      </Space>
      {usersEntity && (
        <Space wrap>
          <Typography.Text strong>{t('imports.initialPassword')}</Typography.Text>
          <Input.Password
            value={initialPassword}
            onChange={(e) => setInitialPassword(e.target.value)}
            style={{ width: 220 }}
            autoComplete="new-password"
            data-testid="import-initial-password"
          />
          <Typography.Text type="secondary">{t('imports.initialPasswordHint')}</Typography.Text>
        </Space>
      )}
    </Space>
  );

  let body: React.ReactNode = null;
  const step = stepOf(detail);
  if (step === 0) {
    body = (
      <Upload.Dragger
        accept=".xlsx,.csv"
        maxCount={1}
        customRequest={upload}
        showUploadList={{ showRemoveIcon: false }}
        data-testid="import-upload"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('imports.uploadHint')}</p>
        <p className="ant-upload-hint">{t('imports.uploadFormats')}</p>
      </Upload.Dragger>
    );
  } else if (detail && step === 1) {
    body = (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {detail.sameFileImports.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="import-same-file"
            title={t('imports.sameFile', {
              time: formatTime(detail.sameFileImports[0]!.createdAt),
              name: detail.sameFileImports[0]!.createdByName ?? '—',
            })}
          />
        )}
        <Typography.Text>
          {t('imports.fileSummary', { name: detail.fileName, rows: detail.totalRows ?? 0 })}
          {detail.encoding && detail.encoding !== 'utf-8' && (
            <Tag style={{ marginInlineStart: 8 }}>{detail.encoding}</Tag>
          )}
        </Typography.Text>
        <Table
          rowKey="index"
          size="small"
          pagination={false}
          scroll={{ y: 280 }}
          dataSource={detail.columns}
          columns={[
            { title: t('imports.fileColumn'), dataIndex: 'header', width: 180 },
            {
              title: t('imports.sample'),
              key: 'sample',
              render: (_, c) => (
                <Typography.Text type="secondary" ellipsis>
                  {detail.sample
                    .map((r) => r[c.index])
                    .filter(Boolean)
                    .slice(0, 3)
                    .join(' · ') || '—'}
                </Typography.Text>
              ),
            },
            {
              title: t('imports.field'),
              key: 'field',
              width: 200,
              render: (_, c) => (
                <Select
                  style={{ width: '100%' }}
                  value={mapping[c.index] ?? ''}
                  options={fieldOptions}
                  onChange={(v: string) => setEdits((e) => ({ ...e, [c.index]: v || null }))}
                  data-testid={`import-map-${c.index}`}
                />
              ),
            },
          ]}
        />
        {missing.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('imports.missingFields', {
              fields: missing.map((f) => f.label).join(t('common.listSeparator')),
            })}
          />
        )}
        {settingsForm}
      </Space>
    );
  } else if (detail && step === 2) {
    body =
      detail.status === 'checking' ? (
        <Progress
          percent={detail.totalRows ? Math.floor((detail.processedRows / detail.totalRows) * 100) : 0}
          status="active"
          data-testid="import-progress"
        />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {detail.dryRun && <Counts counts={detail.dryRun} dry />}
          <RowErrors detail={detail} phase="dry_run" />
          {settingsForm}
          <Space wrap>
            <Typography.Text strong>{t('imports.mode')}</Typography.Text>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
              <Radio value="all_or_nothing">{t('imports.modeAllOrNothing')}</Radio>
              <Radio value="batches">{t('imports.modeBatches')}</Radio>
            </Radio.Group>
          </Space>
          <Typography.Text type="secondary">
            {t(mode === 'batches' ? 'imports.modeBatchesHint' : 'imports.modeAllOrNothingHint')}
          </Typography.Text>
        </Space>
      );
  } else if (detail && step === 3) {
    body = (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Progress
          percent={detail.totalRows ? Math.floor((detail.processedRows / detail.totalRows) * 100) : 0}
          status="active"
          data-testid="import-progress"
        />
        <Typography.Text type="secondary">
          {t('imports.progress', { done: detail.processedRows, total: detail.totalRows ?? 0 })}
        </Typography.Text>
        {detail.result && detail.mode === 'batches' && <Counts counts={detail.result} />}
      </Space>
    );
  } else if (detail && step === 4) {
    body = (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Result
          status={detail.status === 'done' ? (detail.result?.failed ? 'warning' : 'success') : 'error'}
          title={
            detail.status === 'done'
              ? t('imports.doneTitle')
              : (detail.failure?.title ?? t('imports.failedTitle'))
          }
          subTitle={detail.failure?.detail ?? undefined}
          data-testid="import-result"
        />
        {detail.result && <Counts counts={detail.result} />}
        <RowErrors detail={detail} phase="run" />
      </Space>
    );
  }

  const footer = (
    <Space>
      <Button onClick={close}>{t(step === 4 ? 'imports.close' : 'imports.cancel')}</Button>
      {detail && (step === 1 || (step === 2 && detail.status === 'checked')) && (
        <Button
          onClick={() => void startDryRun(detail)}
          loading={busy}
          disabled={missing.length > 0}
          data-testid="import-dry-run"
        >
          {t(step === 2 ? 'imports.dryRunAgain' : 'imports.dryRun')}
        </Button>
      )}
      {detail && (step === 1 || (step === 2 && detail.status === 'checked')) && (
        <Button
          type="primary"
          onClick={() => void startRun(detail)}
          loading={busy}
          disabled={missing.length > 0}
          data-testid="import-run"
        >
          {t('imports.run')}
        </Button>
      )}
    </Space>
  );

  return (
    <Modal
      open={open}
      onCancel={close}
      width={920}
      title={t('imports.title', { entity: detail?.entityLabel ?? '' })}
      footer={footer}
      destroyOnHidden
      data-testid="import-wizard"
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[
          { title: t('imports.stepUpload') },
          { title: t('imports.stepMapping') },
          { title: t('imports.stepDryRun') },
          { title: t('imports.stepImport') },
          { title: t('imports.stepResult') },
        ]}
      />
      {body}
    </Modal>
  );
}

/** A toolbar button that opens the wizard for one entity. */
export function ImportButton({ entity, onImported }: { entity: string; onImported?: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid={`import-${entity}`}>
        {t('imports.import')}
      </Button>
      <ImportWizard
        entity={entity}
        open={open}
        onClose={(changed) => {
          setOpen(false);
          if (changed) onImported?.();
        }}
      />
    </>
  );
}
