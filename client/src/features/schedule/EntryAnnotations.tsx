import type { AnnotationDTO } from '../../../../shared/schedule';
import { useI18n } from '../../i18n';
import { AnnotationThreads } from '../annotations/AnnotationThreads';
import { attachToAnnotation, Composer } from '../annotations/Composer';
import { scheduleApi } from './scheduleApi';

export { Composer };

/** An entry's annotations with their replies (the threads reports use too); superiors (not the owner) add new ones. */
export function EntryAnnotations({ entryId, annotations, canAnnotate, act }: { entryId: string; annotations: AnnotationDTO[]; canAnnotate: boolean; canReply?: boolean; act: (work: () => Promise<unknown>) => Promise<void> }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t('annotations.title')}</h3>
      <AnnotationThreads annotations={annotations} act={act} />
      {canAnnotate && <Composer testId="annotate" label={t('annotations.annotate')} files onSend={(doc, fileIds) => act(async () => attachToAnnotation(await scheduleApi.annotate(entryId, doc), fileIds))} />}
    </>
  );
}
