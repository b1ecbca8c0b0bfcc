/**
 * The product's rich-text editor (Lexical) and its read-only counterpart.
 *
 *   <RichTextEditor placeholder="…" onChange={setBody} mentionCandidates={members} />
 *   <RichTextView doc={message.body} />
 *
 * `onChange` receives Lexical's editor-state JSON in the shared document shape
 * (shared/richText/nodes.ts); send it as is, the server validates it with
 * parseRichText. `initialValue` is read once on mount: to reset the editor
 * (e.g. after sending), remount it with a new React `key`.
 */
import { CheckListPlugin } from '@lexical/react/LexicalCheckListPlugin';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { OnChangePlugin } from '@lexical/react/LexicalOnChangePlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import type { EditorState } from 'lexical';
import { useCallback, useMemo, useState } from 'react';
import { isAllowedLinkUrl, type RichTextDocument } from '../../../shared/richText/nodes';
import { initialEditorState, onEditorError, richTextEditorNodes, richTextTheme } from './richText/editorConfig';
import { resolveLabels, type RichTextLabels } from './richText/labels';
import { MentionPlugin, type MentionCandidate } from './richText/MentionPlugin';
import { OutputGuardPlugin } from './richText/plugins';
import { ToolbarPlugin } from './richText/ToolbarPlugin';
import './richText/richText.css';

export { RichTextView } from './richText/RichTextView';
export type { MentionCandidate } from './richText/MentionPlugin';
export type { RichTextLabels } from './richText/labels';

export type RichTextEditorProps = {
  /** The document to start from (read once, on mount); an empty paragraph when absent. */
  initialValue?: RichTextDocument;
  /** Called after every content change with the whole document (selection moves are ignored). */
  onChange: (doc: RichTextDocument) => void;
  placeholder?: string;
  /** People offered by the @ picker; without it, typing @ is plain text. */
  mentionCandidates?: readonly MentionCandidate[];
  /** The text typed after @ (null when the picker closes), to fetch `mentionCandidates` from the server. */
  onMentionQuery?: (query: string | null) => void;
  /** Visible strings, e.g. from i18n `t()`; missing ones fall back to built-ins for the page language. */
  labels?: Partial<RichTextLabels>;
  className?: string;
  /** Hides the toolbar (e.g. a one-line reply box); keyboard shortcuts still work. */
  hideToolbar?: boolean;
};

/** A rich-text editor producing the shared document JSON; see the module comment for usage. */
export function RichTextEditor({
  initialValue,
  onChange,
  placeholder,
  mentionCandidates,
  onMentionQuery,
  labels: labelOverrides,
  className,
  hideToolbar = false,
}: RichTextEditorProps) {
  const labels = useMemo(() => resolveLabels(labelOverrides), [labelOverrides]);
  // Read once: LexicalComposer ignores later changes to its initial config anyway.
  const [initialConfig] = useState(() => ({
    namespace: 'huitong',
    nodes: richTextEditorNodes,
    theme: richTextTheme,
    onError: onEditorError,
    editorState: initialEditorState(initialValue),
  }));

  const handleChange = useCallback(
    // Lexical types the JSON loosely; its shape is the shared document's, and the server checks it.
    (editorState: EditorState) => onChange(editorState.toJSON() as unknown as RichTextDocument),
    [onChange],
  );

  return (
    <LexicalComposer initialConfig={initialConfig}>
      <div className={className ? `rt-editor ${className}` : 'rt-editor'}>
        {hideToolbar ? null : <ToolbarPlugin labels={labels} />}
        <div className="rt-body">
          <RichTextPlugin
            contentEditable={
              placeholder ? (
                <ContentEditable
                  className="rt-content"
                  aria-label={labels.editor}
                  aria-placeholder={placeholder}
                  placeholder={<div className="rt-placeholder">{placeholder}</div>}
                />
              ) : (
                <ContentEditable className="rt-content" aria-label={labels.editor} />
              )
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <CheckListPlugin />
        <LinkPlugin validateUrl={isAllowedLinkUrl} attributes={{ rel: 'noopener noreferrer nofollow', target: '_blank' }} />
        <OutputGuardPlugin />
        {mentionCandidates || onMentionQuery ? (
          <MentionPlugin candidates={mentionCandidates ?? []} onQuery={onMentionQuery} label={labels.mentionList} />
        ) : null}
        <OnChangePlugin onChange={handleChange} ignoreSelectionChange />
      </div>
    </LexicalComposer>
  );
}
