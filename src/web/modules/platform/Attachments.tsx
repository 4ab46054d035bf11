import { DeleteOutlined, InboxOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, List, Popconfirm, Typography, Upload, type UploadFile, type UploadProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, AttachmentList } from '../../../contracts/index.js';
import { ApiError, api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';

/** "1.2 MB": a file size as people read it. */
function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

type UploadRequest = Parameters<NonNullable<UploadProps['customRequest']>>[0];

function problemOf(xhr: XMLHttpRequest): ApiError {
  let p: { code?: string; title?: string; detail?: string; errors?: ApiError['errors'] } = {};
  try {
    p = JSON.parse(xhr.responseText);
  } catch {
    // not problem+json (a proxy's error page): the status text is all there is
  }
  return new ApiError(xhr.status, p.code ?? 'internal', p.title ?? xhr.statusText, p.detail, p.errors ?? []);
}

/**
 * A record's attachments: the list with download links, and — when the record may be changed —
 * drag-and-drop upload with progress and removal. The server decides what is allowed; this only
 * shows it (GET/POST /attachments, GET /attachments/{id}/content, DELETE /attachments/{id}).
 */
export function Attachments({ entity, entityId }: { entity: string; entityId: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me, can } = useSession();
  const allowed = can('attachments.read');
  const client = useQueryClient();
  const [uploading, setUploading] = useState<UploadFile[]>([]);
  const queryKey = ['attachments', entity, entityId];
  const list = useQuery({
    queryKey,
    queryFn: () => api.get<AttachmentList>('/attachments', { entity, entityId, limit: 200 }),
    enabled: allowed,
  });
  const refresh = () => client.invalidateQueries({ queryKey });

  // fetch() cannot report upload progress; XMLHttpRequest can.
  function send({ file, onProgress, onSuccess, onError }: UploadRequest) {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/attachments?${new URLSearchParams({ entity, entityId })}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', i18n.language);
    xhr.setRequestHeader('x-csrf-token', me?.csrfToken ?? '');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.({ percent: (e.loaded / e.total) * 100 });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onSuccess?.(JSON.parse(xhr.responseText));
        void refresh();
        return;
      }
      const err = problemOf(xhr);
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

  async function remove(a: Attachment) {
    try {
      await api.delete(`/attachments/${a.id}`);
      void message.success(t('attachments.deleted', { name: a.fileName }));
      await refresh();
    } catch (err) {
      showError(err, message);
    }
  }

  if (!allowed) return null;
  const data = list.data;
  return (
    <div data-testid={`attachments-${entity}`}>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('attachments.title')}
      </Typography.Title>
      {data?.canWrite && (
        <Upload.Dragger
          multiple
          accept={data.allowedExtensions.map((e) => `.${e}`).join(',')}
          customRequest={send}
          fileList={uploading}
          beforeUpload={(file) => {
            if (file.size > data.maxBytes) {
              void message.error(
                t('attachments.tooLarge', { name: file.name, limit: formatSize(data.maxBytes) }),
              );
              return Upload.LIST_IGNORE;
            }
            return true;
          }}
          // Finished uploads move to the list below; failed ones stay, marked, until dismissed.
          onChange={({ fileList }) => setUploading(fileList.filter((f) => f.status !== 'done'))}
          data-testid="attachments-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('attachments.drop')}</p>
          <p className="ant-upload-hint">
            {t('attachments.hint', {
              limit: formatSize(data.maxBytes),
              types: data.allowedExtensions.join(t('common.listSeparator')),
            })}
          </p>
        </Upload.Dragger>
      )}
      <List
        size="small"
        loading={list.isPending}
        locale={{ emptyText: t('attachments.empty') }}
        dataSource={data?.items ?? []}
        renderItem={(a) => (
          <List.Item
            key={a.id}
            actions={
              data?.canWrite
                ? [
                    <Popconfirm
                      key="delete"
                      title={t('attachments.deleteConfirm', { name: a.fileName })}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove(a)}
                    >
                      <Button
                        type="text"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        data-testid="attachment-delete"
                      />
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              avatar={<PaperClipOutlined />}
              title={
                <Typography.Link
                  href={`/api/v1/attachments/${a.id}/content`}
                  data-testid="attachment-download"
                >
                  {a.fileName}
                </Typography.Link>
              }
              description={t('attachments.meta', {
                size: formatSize(a.size),
                who: a.uploadedByName ?? t('audit.system'),
                at: formatTime(a.uploadedAt),
              })}
            />
          </List.Item>
        )}
      />
      {data?.nextCursor && (
        <Typography.Text type="secondary">{t('attachments.more', { count: data.total })}</Typography.Text>
      )}
    </div>
  );
}
