import { useI18n } from '../../i18n';

/**
 * Where the rich text editor (client/src/components/RichTextEditor.tsx, Lexical, written
 * separately) will mount. It is deliberately not imported yet so the shell builds without it;
 * replace the placeholder paragraph with <RichTextEditor /> once that component lands.
 */
export function EditorSlot() {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="editor-slot">
      <h2>{t('home.editorTitle')}</h2>
      <p className="muted">{t('home.editorPending')}</p>
    </section>
  );
}
