import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.js';

/** How many approvals wait for me and how many of mine are still open; polled like the bell. */
export function useApprovalCounts() {
  return useQuery({
    queryKey: ['approvals', 'counts'],
    queryFn: () => api.get<{ pending: number; submitted: number }>('/approvals/counts'),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
}
