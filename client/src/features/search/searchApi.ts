import type { SearchKind, SearchResultsDTO } from '../../../../shared/search';
import { api } from '../../api/http';

/** What the search box and page ask for (see GET /api/search). */
export type SearchParams = { q: string; kind?: SearchKind; from?: string; to?: string; limit?: number; cursor?: string };

export const searchApi = {
  search: (params: SearchParams) => api.get<SearchResultsDTO>('/api/search', params),
};
