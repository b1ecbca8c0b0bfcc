import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MeDTO } from '../../../../shared/dto';
import { setUnauthenticatedHandler } from '../../api/http';
import { useI18n } from '../../i18n';
import type { SessionEndReason } from '../../realtime';
import { forgetOfflineCopy } from '../../pwa/offlineCopy';
import { disablePush, resumePush } from '../../pwa/push';
import { fetchMe, login, logout } from './authApi';

type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut'; ended?: SessionEndReason; loadError?: unknown }
  | { status: 'signedIn'; me: MeDTO };

type SessionValue = {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The session ended elsewhere (socket told us, or an API call answered 401). */
  sessionEnded: (reason: SessionEndReason) => void;
  updateMe: (me: MeDTO) => void;
};

const SessionContext = createContext<SessionValue | null>(null);

/** Knows who is signed in, and applies their language as soon as that is known. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const { setLocale } = useI18n();

  const signedIn = useCallback(
    (me: MeDTO) => {
      setLocale(me.locale);
      setState({ status: 'signedIn', me });
    },
    [setLocale],
  );

  useEffect(() => {
    let cancelled = false;
    fetchMe().then(
      (me) => !cancelled && (me ? signedIn(me) : setState({ status: 'signedOut' })),
      (error: unknown) => !cancelled && setState({ status: 'signedOut', loadError: error }),
    );
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  const sessionEnded = useCallback((reason: SessionEndReason) => {
    void forgetOfflineCopy();
    setState((current) => (current.status === 'signedIn' ? { status: 'signedOut', ended: reason } : current));
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => sessionEnded('expired'));
    return () => setUnauthenticatedHandler(undefined);
  }, [sessionEnded]);

  const value = useMemo<SessionValue>(
    () => ({
      state,
      sessionEnded,
      signIn: async (email, password) => {
        signedIn(await login(email, password));
        resumePush().catch(() => undefined);
      },
      signOut: async () => {
        // This browser stops receiving the user's pushes and forgets their offline copy: the next person on it sees neither.
        await Promise.all([disablePush(), forgetOfflineCopy()]).catch(() => undefined);
        try {
          await logout();
        } catch {
          // Signed out locally anyway: the user asked to leave, and a 401 means the session is gone already.
        }
        setState({ status: 'signedOut', ended: 'logout' });
      },
      updateMe: (me) => setState((current) => (current.status === 'signedIn' ? { status: 'signedIn', me } : current)),
    }),
    [state, sessionEnded, signedIn],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and the actions that change it. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useMe(): MeDTO {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useMe needs a signed-in user');
  return state.me;
}
