import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import type { Me } from '../../contracts/index.js';
import { ApiError, api, setUnauthenticatedHandler, setVersionConflictHandler } from './api.js';
import { changeLanguage, hasChosenLanguage } from './i18n.js';

export interface SetupState {
  needed: boolean;
  companyName: string | null;
  demoAccounts: { username: string; name: string; role: string; password: string }[];
}

interface Session {
  me: Me | null;
  loading: boolean;
  can(permission: string): boolean;
  signedIn(me: Me): void;
  /** The session after a change to my own profile (same user, new version). */
  updated(me: Me): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSetupState() {
  return useQuery({ queryKey: ['setup'], queryFn: () => api.get<SetupState>('/setup'), staleTime: 60_000 });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const meQuery = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api.get<Me>('/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
  useEffect(() => {
    setUnauthenticatedHandler(() => client.setQueryData(['me'], null));
    setVersionConflictHandler(() => void client.invalidateQueries());
  }, [client]);

  // Another user's cached data must not survive a sign-in or sign-out; the session itself and
  // the setup state are kept (their observers stay subscribed).
  const forgetOtherData = () =>
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' });

  const me = meQuery.data ?? null;
  const session: Session = {
    me,
    loading: meQuery.isPending,
    can: (permission) => !!me?.permissions.includes(permission),
    signedIn(next) {
      forgetOtherData();
      client.setQueryData(['me'], next);
      // A language saved in my profile follows me to a browser where none was chosen yet.
      if (next.user.locale && !hasChosenLanguage()) changeLanguage(next.user.locale);
    },
    updated(next) {
      client.setQueryData(['me'], next);
    },
    async signOut() {
      await api.post('/auth/logout').catch(() => undefined);
      forgetOtherData();
      client.setQueryData(['me'], null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
