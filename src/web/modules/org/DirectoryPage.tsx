import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserList } from './UserList.js';

/** Colleagues within my data scope (my team for reps and managers), read-only. */
export function DirectoryPage() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3}>{t('menu.directory')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('org.directoryHint')}</Typography.Paragraph>
      <UserList />
    </>
  );
}
