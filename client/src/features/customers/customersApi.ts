import type { ContactDTO, CustomerDetailDTO, CustomerDTO, FeedItemDTO } from '../../../../shared/customers';
import type { Page } from '../../../../shared/dto';
import { api, ApiError } from '../../api/http';

export type ImportReport = { dryRun: boolean; rows: number; customers: number; contacts: number; problems: { line: number; column?: string; reason: string }[] };

/** Uploads a CSV file as it is (UTF-8 or GBK); a refused real import carries its report in the error details. */
async function importFile(file: Blob, dryRun: boolean, importId: string): Promise<ImportReport> {
  const response = await fetch(`/api/customers/import?dryRun=${dryRun}&importId=${importId}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'text/csv' }, body: file });
  const body = await response.json().catch(() => undefined);
  if (response.status === 422) return body.error.details as ImportReport;
  if (!response.ok) throw ApiError.fromBody(response.status, body?.error, response.statusText);
  return body.data as ImportReport;
}

/** The customer, contact, feed, team-feed, neglected and import endpoints. */
export const customersApi = {
  list: (query: { q?: string; tiers?: string; types?: string; following?: 'true'; cursor?: string; limit?: number }) => api.get<Page<CustomerDTO> & { total: number }>('/api/customers', query),
  get: (id: string) => api.get<CustomerDetailDTO>(`/api/customers/${id}`),
  create: (input: { name: string; type: string; tier: string | null; prospectClass: string | null }) => api.post<CustomerDetailDTO>('/api/customers', input),
  update: (id: string, input: Record<string, unknown>) => api.patch<CustomerDetailDTO>(`/api/customers/${id}`, input),
  follow: (id: string, follow: boolean) => (follow ? api.post<CustomerDetailDTO>(`/api/customers/${id}/follow`) : api.delete(`/api/customers/${id}/follow`)),
  addContact: (id: string, input: Record<string, unknown>) => api.post<ContactDTO>(`/api/customers/${id}/contacts`, input),
  updateContact: (id: string, contactId: string, input: Record<string, unknown>) => api.patch<ContactDTO>(`/api/customers/${id}/contacts/${contactId}`, input),
  removeContact: (id: string, contactId: string) => api.delete(`/api/customers/${id}/contacts/${contactId}`),
  feed: (id: string, before?: string) => api.get<Page<FeedItemDTO>>(`/api/customers/${id}/feed`, { before }),
  comment: (id: string, body: Record<string, unknown>) => api.post<FeedItemDTO>(`/api/customers/${id}/comments`, { body }),
  contactRecord: (id: string, channel: string, body: Record<string, unknown>) => api.post<FeedItemDTO>(`/api/customers/${id}/contact-records`, { channel, body }),
  teamFeed: (query: { tiers?: string; types?: string; valuableFirst?: 'true' | 'false'; before?: string; cursor?: string }) => api.get<Page<FeedItemDTO>>('/api/customers/team-feed', query),
  neglected: (days: number, cursor?: string) => api.get<Page<CustomerDTO>>('/api/customers/neglected', { days, cursor }),
  importFile,
};
