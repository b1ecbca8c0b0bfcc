/**
 * The product's rich-text editor (Lexical) and its read-only counterpart.
 *
 *   <RichTextEditor placeholder="…" onChange={setBody} />
 *   <RichTextEditor onChange={setDraft} mentions={{ conversationId, everyone: can.mentionEveryone }} onSubmit={send} />
 *   <RichTextView doc={message.body} />
 *
 * Every editor has the @ picker (MentionPlugin): typing `@` or `＠` mid-sentence, Chinese
 * punctuation included, offers people by name, pinyin or initials. By default anyone in the
 * directory; `mentions` narrows it to a conversation's members (and adds @所有人 where allowed),
 * `mentions={false}` turns it off where a mention would reach no one (a private note).
 *
 * `onChange` receives Lexical's editor-state JSON in the shared document shape
 * (shared/richText/nodes.ts); send it as is, the server validates it with
 * parseRichText. `initialValue` is read once on mount: to reset the editor
 * (e.g. after sending), remount it with a new React `key`.
 */
import { AutoFocusPlugin } from '@lexical/react/LexicalAutoFocusPlugin';
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
import { useCallback, useMemo, useRef, useState } from 'react';
import { isAllowedLinkUrl, type RichTextDocument } from '../../../shared/richText/nodes';
import { initialEditorState, onEditorError, richTextEditorNodes, richTextTheme } from './richText/editorConfig';
import { resolveLabels, type RichTextLabels } from './richText/labels';
import { MentionPlugin, type MentionMenuState, type MentionSource } from './richText/MentionPlugin';
import { CompositionEnterPlugin, FileDropPlugin, OutputGuardPlugin, SubmitPlugin } from './richText/plugins';
import { ToolbarPlugin } from './richText/ToolbarPlugin';
import './richText/richText.css';

export { RichTextView } from './richText/RichTextView';
export type { MentionSource } from './richText/MentionPlugin';
export type { RichTextLabels } from './richText/labels';

export type RichTextEditorProps = {
  /** The document to start from (read once, on mount); an empty paragraph when absent. */
  initialValue?: RichTextDocument;
  /** Called after every content change with the whole document (selection moves are ignored). */
  onChange: (doc: RichTextDocument) => void;
  placeholder?: string;
  /** Whom the @ picker offers (default: anyone in the directory); false: typing @ is plain text. */
  mentions?: MentionSource | false;
  /** When given, Enter calls it (Shift+Enter is a new line); never while an input method composes or the picker is open. */
  onSubmit?: () => void;
  /** Visible strings, e.g. from i18n `t()`; missing ones fall back to built-ins for the page language. */
  labels?: Partial<RichTextLabels>;
  className?: string;
  /** Hides the toolbar (e.g. a one-line reply box); keyboard shortcuts still work. */
  hideToolbar?: boolean;
  /** Puts the caret in the editor when it mounts (e.g. a composer cleared after sending, to write on). */
  autoFocus?: boolean;
  /** When given, files pasted or dropped into the editor go here (to be uploaded) rather than into the text. */
  onFiles?: (files: File[]) => void;
};

const directory: MentionSource = {};

/** A rich-text editor producing the shared document JSON; see the module comment for usage. */
export function RichTextEditor({
  initialValue,
  onChange,
  placeholder,
  mentions = directory,
  onSubmit,
  labels: labelOverrides,
  className,
  hideToolbar = false,
  autoFocus = false,
  onFiles,
}: RichTextEditorProps) {
  const labels = useMemo(() => resolveLabels(labelOverrides), [labelOverrides]);
  const mentionMenu = useRef<MentionMenuState>('closed');
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
        {autoFocus ? <AutoFocusPlugin /> : null}
        <ListPlugin />
        <CheckListPlugin />
        <LinkPlugin validateUrl={isAllowedLinkUrl} attributes={{ rel: 'noopener noreferrer nofollow', target: '_blank' }} />
        <OutputGuardPlugin />
        <CompositionEnterPlugin />
        {mentions ? <MentionPlugin source={mentions} labels={labels} stateRef={mentionMenu} /> : null}
        {onSubmit ? <SubmitPlugin onSubmit={onSubmit} mentionMenu={mentionMenu} /> : null}
        {onFiles ? <FileDropPlugin onFiles={onFiles} /> : null}
        <OnChangePlugin onChange={handleChange} ignoreSelectionChange />
      </div>
    </LexicalComposer>
  );
}
