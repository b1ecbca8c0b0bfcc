/** Read-only display of a stored rich-text document, rendered by Lexical with the editor's own nodes. */
import { ClickableLinkPlugin } from '@lexical/react/LexicalClickableLinkPlugin';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { initialEditorState, onEditorError, richTextEditorNodes, richTextTheme } from './editorConfig';
import { resolveLabels } from './labels';
import { DocumentSyncPlugin } from './plugins';

type Props = {
  /** A document the server validated (what the API returns). */
  doc: RichTextDocument;
  className?: string;
  /** What the text is, for screen readers (default: "正文" / "Text"). */
  label?: string;
};

/** Shows `doc` read-only; links open in a new tab, mentions show as `@name`. */
export function RichTextView({ doc, className, label }: Props) {
  return (
    <LexicalComposer
      initialConfig={{
        namespace: 'huitong-view',
        nodes: richTextEditorNodes,
        theme: richTextTheme,
        editable: false,
        onError: onEditorError,
        editorState: initialEditorState(doc),
      }}
    >
      <div className={className ? `rt-view ${className}` : 'rt-view'}>
        <RichTextPlugin contentEditable={<ContentEditable className="rt-content" aria-label={label ?? resolveLabels(undefined).view} />} ErrorBoundary={LexicalErrorBoundary} />
        <ListPlugin />
        <ClickableLinkPlugin newTab />
        <DocumentSyncPlugin doc={doc} />
      </div>
    </LexicalComposer>
  );
}
