import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Page } from './api.js';

/** Table footer for keyset lists: the total, and a button for the next page while there is one. */
export function LoadMore<T>({ list }: { list: UseInfiniteQueryResult<InfiniteData<Page<T>>> }) {
  const { t } = useTranslation();
  return (
    <Space>
      <Typography.Text type="secondary">
        {t('common.total', { count: list.data?.pages[0]?.total ?? 0 })}
      </Typography.Text>
      {list.hasNextPage && (
        <Button size="small" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Space>
  );
}
