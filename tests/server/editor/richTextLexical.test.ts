/**
 * Round trip with the real editor: JSON that Lexical (with the client's node list, including
 * its MentionNode) produces must validate, and a validated document must load back into Lexical
 * unchanged. Lexical's core runs without a DOM for updates and serialization.
 */
import { $createCodeNode } from '@lexical/code';
import { $createLinkNode } from '@lexical/link';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import { $createLineBreakNode, $createParagraphNode, $createTextNode, $getRoot, createEditor, type LexicalEditor } from 'lexical';
import { describe, expect, it } from 'vitest';
import { $createMentionNode } from '../../../client/src/components/richText/MentionNode.js';
import { richTextEditorNodes } from '../../../client/src/components/richText/editorConfig.js';
import { parseRichText, richTextToHtml, richTextToPlainText } from '../../../server/editor/index.js';
import { extractMentionedUserIds } from '../../../shared/richText/index.js';

function newEditor(): LexicalEditor {
  return createEditor({
    namespace: 'test',
    nodes: richTextEditorNodes,
    onError: (error) => {
      throw error;
    },
  });
}

/** Writes a document touching every node type the product accepts, through Lexical's own API. */
function writeSample(editor: LexicalEditor): void {
  editor.update(
    () => {
      const root = $getRoot();
      root.append($createHeadingNode('h2').append($createTextNode('本周计划')));

      const bold = $createTextNode('重要').toggleFormat('bold').toggleFormat('italic');
      const link = $createLinkNode('https://example.com/crm?id=1', { rel: 'noopener', target: '_blank', title: null }).append($createTextNode('客户档案'));
      root.append(
        $createParagraphNode().append(bold, $createTextNode('：请 '), $createMentionNode('42', '王芳'), $createTextNode(' 查看 '), link, $createLineBreakNode(), $createTextNode('<script>x</script>')),
      );

      const nested = $createListNode('number').append($createListItemNode().append($createTextNode('准备报价')));
      root.append(
        $createListNode('bullet').append(
          $createListItemNode().append($createTextNode('拜访 '), $createMentionNode('7', 'Li Lei')),
          $createListItemNode().append(nested),
        ),
      );
      root.append($createListNode('check').append($createListItemNode(true).append($createTextNode('已电话回访'))));
      root.append($createQuoteNode().append($createTextNode('客户说：价格可以再谈')));
      root.append($createCodeNode('sql').append($createTextNode('select 1;')));
    },
    { discrete: true },
  );
}

describe('Lexical editor JSON', () => {
  it('validates as produced by a real editor, in full and compact form', () => {
    const editor = newEditor();
    writeSample(editor);
    const json = editor.getEditorState().toJSON();
    const doc = parseRichText(json);

    expect(doc.root.children.map((block) => block.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'quote', 'code']);
    expect(extractMentionedUserIds(doc)).toEqual(['42', '7']);
    // The MentionNode writes exactly the shared mention shape.
    expect(JSON.stringify(json)).toContain('{"type":"mention","version":1,"userId":"42","name":"王芳"}');
    expect(richTextToPlainText(doc)).toBe(
      ['本周计划', '重要：请 @王芳 查看 客户档案 (https://example.com/crm?id=1)', '<script>x</script>', '- 拜访 @Li Lei', '  1. 准备报价', '[x] 已电话回访', '> 客户说：价格可以再谈', 'select 1;'].join('\n'),
    );
    expect(richTextToHtml(doc)).toContain('<p><strong><em>重要</em></strong>：请 <span class="mention" data-user-id="42">@王芳</span>');
    expect(richTextToHtml(doc)).toContain('&lt;script&gt;x&lt;/script&gt;');

    // Lexical's compact export leaves out defaults; it describes the same document.
    expect(parseRichText(editor.getEditorState().toJSON(true))).toEqual(doc);
  });

  it('loads a validated document back into Lexical unchanged', () => {
    const writer = newEditor();
    writeSample(writer);
    const doc = parseRichText(writer.getEditorState().toJSON());

    const reader = newEditor();
    reader.setEditorState(reader.parseEditorState(JSON.stringify(doc)));
    expect(parseRichText(reader.getEditorState().toJSON())).toEqual(doc);
    reader.read(() => expect($getRoot().getTextContent()).toContain('@王芳'));
  });
});
