import type {
  AuthorLookupDTO,
  BoardAuditEntryDTO,
  BoardDetailDTO,
  BoardDTO,
  BoardReaction,
  BoardUnreadDTO,
  ReplyDTO,
  SubscriptionLevel,
  ThreadDTO,
  ThreadListItemDTO,
} from '../../../../shared/boards';
import type { Page } from '../../../../shared/dto';
import { api } from '../../api/http';

export type BoardSettingsInput = {
  name: string;
  description: string;
  category: string | null;
  position: number;
  openness: BoardDTO['openness'];
  readOnly: boolean;
  allowAnonymous: boolean;
  everyonePosts: boolean;
  moderators: { userIds: string[]; departmentIds: string[] };
  viewers: { userIds: string[]; departmentIds: string[] };
  members: { userIds: string[]; departmentIds: string[] };
  posters: { userIds: string[]; departmentIds: string[] };
};

export type ThreadModeration = { action: 'pin' | 'unpin' | 'lock' | 'unlock' | 'unhide' } | { action: 'hide'; reason: string } | { action: 'move'; boardId: string };

/** The board, thread and reply endpoints. */
export const boardsApi = {
  list: () => api.get<BoardDTO[]>('/api/boards'),
  unread: () => api.get<BoardUnreadDTO[]>('/api/boards/unread'),
  get: (id: string) => api.get<BoardDetailDTO>(`/api/boards/${id}`),
  create: (input: BoardSettingsInput) => api.post<BoardDetailDTO>('/api/boards', input),
  update: (id: string, input: Partial<BoardSettingsInput>) => api.patch<BoardDetailDTO>(`/api/boards/${id}`, input),
  threads: (id: string, cursor?: string) => api.get<Page<ThreadListItemDTO>>(`/api/boards/${id}/threads`, { cursor }),
  startThread: (id: string, input: { title: string; body: Record<string, unknown>; anonymous: boolean; customerId: string | null }) => api.post<ThreadDTO>(`/api/boards/${id}/threads`, input),
  markRead: (id: string) => api.post<BoardUnreadDTO>(`/api/boards/${id}/read`),
  subscribeBoard: (id: string, level: SubscriptionLevel) => api.put<{ level: SubscriptionLevel }>(`/api/boards/${id}/subscription`, { level }),
  thread: (id: string) => api.get<ThreadDTO>(`/api/boards/threads/${id}`),
  editThread: (id: string, input: { title?: string; body?: Record<string, unknown>; customerId?: string | null }) => api.patch<ThreadDTO>(`/api/boards/threads/${id}`, input),
  replies: (id: string, query: { after?: number; before?: number; limit?: number }) => api.get<Page<ReplyDTO>>(`/api/boards/threads/${id}/replies`, query),
  reply: (id: string, body: Record<string, unknown>, quoteReplyId: string | null) => api.post<ReplyDTO>(`/api/boards/threads/${id}/replies`, { body, quoteReplyId }),
  read: (id: string, number: number) => api.post<{ readNumber: number; unread: BoardUnreadDTO }>(`/api/boards/threads/${id}/read`, { number }),
  subscribeThread: (id: string, level: SubscriptionLevel) => api.put<{ level: SubscriptionLevel }>(`/api/boards/threads/${id}/subscription`, { level }),
  moderateThread: (id: string, input: ThreadModeration) => api.post<ThreadDTO>(`/api/boards/threads/${id}/moderation`, input),
  reactToThread: (id: string, reaction: BoardReaction, on: boolean) => api.post<ThreadDTO>(`/api/boards/threads/${id}/reactions`, { reaction, on }),
  lookUpThreadAuthor: (id: string) => api.post<AuthorLookupDTO>(`/api/boards/threads/${id}/author-lookup`),
  getReply: (id: string) => api.get<ReplyDTO>(`/api/boards/replies/${id}`),
  editReply: (id: string, body: Record<string, unknown>) => api.patch<ReplyDTO>(`/api/boards/replies/${id}`, { body }),
  deleteReply: (id: string) => api.delete(`/api/boards/replies/${id}`),
  moderateReply: (id: string, input: { action: 'unhide' } | { action: 'hide'; reason: string }) => api.post<ReplyDTO>(`/api/boards/replies/${id}/moderation`, input),
  reactToReply: (id: string, reaction: BoardReaction, on: boolean) => api.post<ReplyDTO>(`/api/boards/replies/${id}/reactions`, { reaction, on }),
  lookUpReplyAuthor: (id: string) => api.post<AuthorLookupDTO>(`/api/boards/replies/${id}/author-lookup`),
  audit: (before?: string) => api.get<Page<BoardAuditEntryDTO>>('/api/boards/audit', { before }),
  exportUrl: (id: string) => `/api/boards/${id}/export`,
};
