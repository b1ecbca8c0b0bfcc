/** The minimal formatting toolbar: bold, italic, underline, lists, quote, code block, link. */
import { $createCodeNode, $isCodeNode } from '@lexical/code';
import { $isLinkNode, TOGGLE_LINK_COMMAND } from '@lexical/link';
import { $isListNode, INSERT_CHECK_LIST_COMMAND, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND } from '@lexical/list';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createQuoteNode, $isQuoteNode } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import { $findMatchingParent } from '@lexical/utils';
import { $createParagraphNode, $getSelection, $isRangeSelection, FORMAT_TEXT_COMMAND, type LexicalNode, type TextFormatType } from 'lexical';
import { useEffect, useState, type MouseEvent } from 'react';
import { isAllowedLinkUrl } from '../../../../shared/richText/nodes';
import type { RichTextLabels } from './labels';

type Block = 'paragraph' | 'bullet' | 'number' | 'check' | 'quote' | 'code' | 'other';
type ToolbarState = { bold: boolean; italic: boolean; underline: boolean; block: Block; inLink: boolean };
const idle: ToolbarState = { bold: false, italic: false, underline: false, block: 'paragraph', inLink: false };

function blockOf(node: LexicalNode): Block {
  // The nearest list decides, so a nested bullet list inside a numbered one reads as bullet.
  const list = $findMatchingParent(node, $isListNode);
  if (list && $isListNode(list)) return list.getListType();
  const top = node.getTopLevelElement();
  if ($isQuoteNode(top)) return 'quote';
  if ($isCodeNode(top)) return 'code';
  return top?.getType() === 'paragraph' ? 'paragraph' : 'other';
}

/** Renders the toolbar and keeps its pressed states in step with the selection. */
export function ToolbarPlugin({ labels }: { labels: RichTextLabels }) {
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(idle);

  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState }) => {
        editorState.read(() => {
          const selection = $getSelection();
          if (!$isRangeSelection(selection)) return;
          const anchor = selection.anchor.getNode();
          setState({
            bold: selection.hasFormat('bold'),
            italic: selection.hasFormat('italic'),
            underline: selection.hasFormat('underline'),
            block: blockOf(anchor),
            inLink: $findMatchingParent(anchor, $isLinkNode) !== null,
          });
        });
      }),
    [editor],
  );

  const format = (type: TextFormatType) => editor.dispatchCommand(FORMAT_TEXT_COMMAND, type);
  const toggleList = (type: 'bullet' | 'number' | 'check') => {
    if (state.block === type) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
    else if (type === 'bullet') editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined);
    else if (type === 'number') editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined);
    else editor.dispatchCommand(INSERT_CHECK_LIST_COMMAND, undefined);
  };
  const toggleBlock = (type: 'quote' | 'code') =>
    editor.update(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      if (state.block === type) $setBlocksType(selection, () => $createParagraphNode());
      else $setBlocksType(selection, () => (type === 'quote' ? $createQuoteNode() : $createCodeNode()));
    });
  const toggleLink = () => {
    if (state.inLink) {
      editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
      return;
    }
    const url = window.prompt(labels.linkPrompt, 'https://')?.trim();
    if (!url) return;
    if (!isAllowedLinkUrl(url)) {
      window.alert(labels.linkInvalid);
      return;
    }
    editor.dispatchCommand(TOGGLE_LINK_COMMAND, url);
  };

  const button = (label: string, pressed: boolean, onClick: () => void, text: string) => (
    <button
      type="button"
      className={pressed ? 'rt-tool rt-tool-active' : 'rt-tool'}
      title={label}
      aria-pressed={pressed}
      // Keeps focus (and so the selection) in the editor while clicking.
      onMouseDown={(event: MouseEvent) => event.preventDefault()}
      onClick={onClick}
    >
      {/* The name is the label; the glyph ("B", "1.") is only its picture (a name that does not contain what is seen confuses voice control). */}
      <span aria-hidden="true">{text}</span>
      <span className="visually-hidden">{label}</span>
    </button>
  );

  return (
    <div className="rt-toolbar" role="toolbar" aria-label={labels.toolbar}>
      {button(labels.bold, state.bold, () => format('bold'), 'B')}
      {button(labels.italic, state.italic, () => format('italic'), 'I')}
      {button(labels.underline, state.underline, () => format('underline'), 'U')}
      {button(labels.bulletList, state.block === 'bullet', () => toggleList('bullet'), '•')}
      {button(labels.numberedList, state.block === 'number', () => toggleList('number'), '1.')}
      {button(labels.checkList, state.block === 'check', () => toggleList('check'), '☑')}
      {button(labels.quote, state.block === 'quote', () => toggleBlock('quote'), '❝')}
      {button(labels.code, state.block === 'code', () => toggleBlock('code'), '</>')}
      {button(state.inLink ? labels.unlink : labels.link, state.inLink, toggleLink, '🔗')}
    </div>
  );
}
