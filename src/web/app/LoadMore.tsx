import {
  type InfiniteData,
  type QueryKey,
  type UseInfiniteQueryResult,
  useInfiniteQuery,
} from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Page } from './api.js';

type Params = NonNullable<Parameters<typeof api.get>[1]>;

/**
 * A keyset-paged list endpoint (`{ items, nextCursor, total }`) as an infinite query: `list` for
 * <LoadMore>, `rows` the pages loaded so far, in order. `refetchInterval` may look at those rows
 * (poll while something is still running).
 */
export function usePagedList<T>(
  queryKey: QueryKey,
  path: string,
  params: Params = {},
  opts: {
    limit?: number;
    enabled?: boolean;
    refetchInterval?: number | ((rows: T[]) => number | false);
  } = {},
) {
  const { limit = 50, enabled = true, refetchInterval } = opts;
  const list = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...params, limit, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    refetchInterval: (q) =>
      typeof refetchInterval === 'function'
        ? refetchInterval(q.state.data?.pages.flatMap((p) => p.items) ?? [])
        : (refetchInterval ?? false),
  });
  return { list, rows: list.data?.pages.flatMap((p) => p.items) ?? [] };
}

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
