/**
 * One report section shown read-only by Lexical, with the passages that annotations point at
 * highlighted (MarkNode, @lexical/mark). A reader's selection becomes a passage annotation by
 * wrapping it in a new mark in this editor: the section as then marked is what the server checks
 * and stores (see server/commands/reports/passages.ts).
 */
import { $isMarkNode, $wrapSelectionInMarkNode, MarkNode } from '@lexical/mark';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { EditorRefPlugin } from '@lexical/react/LexicalEditorRefPlugin';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { $createRangeSelectionFromDom, $getNodeFromDOMNode, type LexicalEditor } from 'lexical';
import { useEffect, useRef, type MutableRefObject } from 'react';
import type { RichTextDocument } from '../../../../shared/richText';
import { initialEditorState, onEditorError, richTextEditorNodes, richTextTheme } from '../../components/richText/editorConfig';
import { DocumentSyncPlugin } from '../../components/richText/plugins';
import '../../components/richText/richText.css';

/** What each mark id stands for on the page: the thread it opens, whether it is resolved. */
export type MarkInfo = ReadonlyMap<string, { annotationId: string; resolved: boolean }>;

/** Keeps every mark's element labelled with its ids and state, and the selected one active. */
function MarkDecorations({ marks, activeMarkId, onMarkClick }: { marks: MarkInfo; activeMarkId: string | null; onMarkClick: (markId: string) => void }) {
  const [editor] = useLexicalComposerContext();
  const label = useRef(() => {});
  label.current = () =>
    editor.read(() => {
      for (const element of editor.getRootElement()?.querySelectorAll('mark') ?? []) {
        const node = $getNodeFromDOMNode(element);
        if (!$isMarkNode(node)) continue;
        const ids = node.getIDs().filter((id) => marks.has(id));
        element.setAttribute('data-ids', ids.join(' '));
        element.toggleAttribute('data-active', !!activeMarkId && ids.includes(activeMarkId));
        element.setAttribute('data-state', ids.length && ids.every((id) => marks.get(id)!.resolved) ? 'resolved' : 'open');
      }
    });
  useEffect(() => editor.registerMutationListener(MarkNode, () => label.current(), { skipInitialization: false }), [editor]);
  useEffect(() => label.current(), [marks, activeMarkId]);
  useEffect(() => {
    const root = editor.getRootElement();
    if (!root) return;
    const click = (event: MouseEvent) => {
      const ids = (event.target as HTMLElement).closest('mark')?.getAttribute('data-ids')?.split(' ').filter(Boolean);
      if (ids?.length) onMarkClick(ids[0]);
    };
    root.addEventListener('click', click);
    return () => root.removeEventListener('click', click);
  }, [editor, onMarkClick]);
  return null;
}

/** The document with the current browser selection (inside this section) wrapped in a new mark, or null when nothing is selected here. */
export function markSelection(editor: LexicalEditor, markId: string): RichTextDocument | null {
  const root = editor.getRootElement();
  const selection = window.getSelection();
  if (!root || !selection || selection.isCollapsed || !root.contains(selection.anchorNode) || !root.contains(selection.focusNode)) return null;
  let marked = false;
  editor.update(
    () => {
      const range = $createRangeSelectionFromDom(selection, editor);
      if (!range || range.isCollapsed() || range.getTextContent().trim() === '') return;
      $wrapSelectionInMarkNode(range, range.isBackward(), markId);
      marked = true;
    },
    { discrete: true },
  );
  return marked ? (editor.getEditorState().toJSON() as unknown as RichTextDocument) : null;
}

type Props = {
  sectionKey: string;
  /** The section's title: the name a screen reader gives its text. */
  label: string;
  doc: RichTextDocument;
  marks: MarkInfo;
  activeMarkId: string | null;
  onMarkClick: (markId: string) => void;
  editorRef?: MutableRefObject<LexicalEditor | null>;
};

/** A section's text, read-only, its annotated passages highlighted and clickable. */
export function SectionView({ sectionKey, label, doc, marks, activeMarkId, onMarkClick, editorRef }: Props) {
  return (
    <LexicalComposer
      initialConfig={{ namespace: `huitong-report-${sectionKey}`, nodes: richTextEditorNodes, theme: richTextTheme, editable: false, onError: onEditorError, editorState: initialEditorState(doc) }}
    >
      <div className="rt-view report-section-text" data-testid={`section-text-${sectionKey}`} data-section={sectionKey}>
        <RichTextPlugin contentEditable={<ContentEditable className="rt-content" aria-label={label} />} ErrorBoundary={LexicalErrorBoundary} />
        <ListPlugin />
        <DocumentSyncPlugin doc={doc} />
        <MarkDecorations marks={marks} activeMarkId={activeMarkId} onMarkClick={onMarkClick} />
        {editorRef && <EditorRefPlugin editorRef={editorRef} />}
      </div>
    </LexicalComposer>
  );
}
