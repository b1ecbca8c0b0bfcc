import type { MeDTO } from '../../../../shared/dto';
import type { Locale } from '../../../../shared/schemas/common';
import { api, ApiError } from '../../api/http';

/** The signed-in user, or null when the browser has no valid session. */
export async function fetchMe(): Promise<MeDTO | null> {
  try {
    return await api.get<MeDTO>('/api/me');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthenticated') return null;
    throw error;
  }
}

/** Signs in; the server sets the HttpOnly session cookie the rest of the client relies on. */
export async function login(email: string, password: string): Promise<MeDTO> {
  const data = await api.post<{ user: MeDTO; token: string; expiresAt: string }>('/api/auth/login', { email, password });
  return data.user;
}

/** Ends this browser's session (its sockets are closed by the server too). */
export function logout(): Promise<void> {
  return api.post<void>('/api/auth/logout');
}

/** Saves the user's language. */
export function saveLocale(locale: Locale): Promise<MeDTO> {
  return api.patch<MeDTO>('/api/me', { locale });
}
