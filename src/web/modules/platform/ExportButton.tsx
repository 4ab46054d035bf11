import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import type { MessageInstance } from 'antd/es/message/interface.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, withQuery } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import i18n from '../../app/i18n.js';

/** The file name the server chose (RFC 6266 `filename*`), else a fallback. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = disposition?.match(/filename="([^"]+)"/i);
  return plain?.[1] ?? fallback;
}

/**
 * Downloads a file from the API in the UI's language (a plain link would use the browser's),
 * showing a problem+json answer as an error message.
 */
export async function downloadFile(
  path: string,
  query: Record<string, string | number | boolean | undefined | null>,
  message: MessageInstance,
) {
  try {
    const res = await fetch(withQuery(`/api/v1${path}`, query), {
      credentials: 'same-origin',
      headers: { 'accept-language': i18n.language },
    });
    if (!res.ok) {
      const p = (await res.json().catch(() => ({}))) as Partial<ApiError> & { errors?: ApiError['errors'] };
      throw new ApiError(
        res.status,
        p.code ?? 'internal',
        p.title ?? res.statusText,
        p.detail,
        p.errors ?? [],
      );
    }
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileNameOf(res.headers.get('content-disposition'), 'export');
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    showError(err, message);
  }
}

/**
 * Exports a list view with the filters on screen, as Excel or CSV (`<path>/export`). The server
 * applies the caller's data scope and neutralises formula-like cells.
 */
export function ExportButton({
  path,
  filters,
  testId = 'export',
}: {
  path: string;
  filters: Record<string, string | number | boolean | undefined | null>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: string) => {
    setBusy(true);
    await downloadFile(`${path}/export`, { ...filters, format }, message);
    setBusy(false);
  };
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'xlsx', label: <span data-testid={`${testId}-xlsx`}>{t('imports.exportXlsx')}</span> },
          { key: 'csv', label: <span data-testid={`${testId}-csv`}>{t('imports.exportCsv')}</span> },
        ],
        onClick: ({ key }) => void run(key),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={testId}>
        {t('imports.export')}
      </Button>
    </Dropdown>
  );
}
