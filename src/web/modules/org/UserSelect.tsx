import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/index.js';
import { api } from '../../app/api.js';

/** Picks an active user (a manager, a unit head), searching the server as you type. */
export function UserSelect({
  value,
  onChange,
  exclude,
  initial,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  exclude?: string;
  initial?: { id: string; name: string };
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<{ value: string; label: string }[]>(
    initial ? [{ value: initial.id, label: initial.name }] : [],
  );
  async function search(q: string) {
    const res = await api.get<{ items: User[] }>('/users', { q, status: 'active', limit: 20 });
    setOptions(
      res.items
        .filter((u) => u.id !== exclude)
        .map((u) => ({ value: u.id, label: `${u.name} (${u.username})` })),
    );
  }
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      onFocus={() => void search('')}
      options={options}
      placeholder={t('user.searchPlaceholder')}
    />
  );
}
