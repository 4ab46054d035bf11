import { Select } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';

/**
 * Picks a user (a manager, a unit head, an actor in the audit log), searching the server as you
 * type. Only active users unless `anyStatus`, since disabled ones cannot take on new duties.
 */
export function UserSelect({
  value,
  onChange,
  exclude,
  initial,
  anyStatus = false,
  placeholder,
  style,
  testId,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  exclude?: string;
  initial?: { id: string; name: string };
  anyStatus?: boolean;
  placeholder?: string;
  style?: CSSProperties;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [loading, setLoading] = useState(false);
  const [options, setOptions] = useState<{ value: string; label: string }[]>(
    initial ? [{ value: initial.id, label: initial.name }] : [],
  );
  async function search(q: string) {
    setLoading(true);
    try {
      const res = await api.get<Page<User>>('/users', {
        q,
        status: anyStatus ? undefined : 'active',
        limit: 20,
      });
      setOptions(
        res.items
          .filter((u) => u.id !== exclude)
          .map((u) => ({ value: u.id, label: `${u.name} (${u.username})` })),
      );
    } finally {
      setLoading(false);
    }
  }
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      onFocus={() => void search('')}
      options={options}
      loading={loading}
      placeholder={placeholder ?? t('user.searchPlaceholder')}
      style={style}
      data-testid={testId}
    />
  );
}
