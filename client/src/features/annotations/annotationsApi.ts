import type { AnnotationEventDTO } from '../../../../shared/annotations';
import { api } from '../../api/http';

/** Annotations of any subject by id (schedule entries and reports share them). */
export const annotationsApi = {
  reply: (annotationId: string, body: Record<string, unknown>) => api.post<AnnotationEventDTO>(`/api/annotations/${annotationId}/replies`, { body }),
  edit: (annotationId: string, body: Record<string, unknown>) => api.patch<AnnotationEventDTO>(`/api/annotations/${annotationId}`, { body }),
  remove: (annotationId: string) => api.delete(`/api/annotations/${annotationId}`),
  resolve: (annotationId: string) => api.post<AnnotationEventDTO>(`/api/annotations/${annotationId}/resolve`),
  reopen: (annotationId: string) => api.post<AnnotationEventDTO>(`/api/annotations/${annotationId}/reopen`),
};
