import type { ConversationDTO, ConversationMemberDTO, MessageDTO } from '../../../../shared/chat';
import type { Page, UserSummaryDTO } from '../../../../shared/dto';
import { api } from '../../api/http';

const base = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

/** The chat HTTP API (sending, editing and reading go over the socket instead). */
export const chatApi = {
  conversations: () => api.get<ConversationDTO[]>('/api/conversations'),
  conversation: (id: string) => api.get<ConversationDTO>(base(id)),
  openDirect: (userId: string) => api.post<ConversationDTO>('/api/conversations/direct', { userId }),
  createGroup: (name: string, memberIds: string[]) => api.post<ConversationDTO>('/api/conversations', { name, memberIds }),
  rename: (id: string, name: string) => api.patch<ConversationDTO>(base(id), { name }),
  members: (id: string) => api.get<ConversationMemberDTO[]>(`${base(id)}/members`),
  addMembers: (id: string, userIds: string[]) => api.post<ConversationMemberDTO[]>(`${base(id)}/members`, { userIds }),
  removeMember: (id: string, userId: string) => api.delete(`${base(id)}/members/${encodeURIComponent(userId)}`),
  setRole: (id: string, userId: string, role: 'admin' | 'member') => api.patch<ConversationMemberDTO[]>(`${base(id)}/members/${encodeURIComponent(userId)}`, { role }),
  leave: (id: string) => api.post<void>(`${base(id)}/leave`),
  /** A page of history in chronological order: the newest, or older than `before` (`nextCursor`: there is older). */
  history: (id: string, before?: string, limit = 50) => api.get<Page<MessageDTO>>(`${base(id)}/messages`, { before, limit }),
  /** The staff directory (active users only for non-administrators). */
};
