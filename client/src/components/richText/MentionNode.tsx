/**
 * An @mention inside the editor: an inline, atomic decorator node whose JSON is
 * exactly the shared mention shape `{ type: 'mention', version: 1, userId, name }`
 * (see shared/richText/nodes.ts). A decorator rather than a TextNode so the
 * JSON carries no text fields and the caret treats the mention as one unit.
 */
import {
  $applyNodeReplacement,
  DecoratorNode,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type SerializedPartial,
} from 'lexical';
import type { JSX } from 'react';
import { MENTION_EVERYONE, MENTION_VERSION, type RichTextMentionNode } from '../../../../shared/richText/nodes';
import { resolveLabels } from './labels';
import { useCurrentUserName } from './userNames';

/**
 * How a mention reads: `@` and the current name of the user it points at (the stored name until
 * the server said it), or, for a mention of everyone, `@所有人` / `@all` in the reader's language.
 */
function MentionLabel({ userId, name }: { userId: string; name: string }) {
  return userId === MENTION_EVERYONE ? <>@{resolveLabels(undefined).everyone}</> : <UserMention userId={userId} name={name} />;
}

function UserMention({ userId, name }: { userId: string; name: string }) {
  return <>@{useCurrentUserName(userId, name)}</>;
}

export class MentionNode extends DecoratorNode<JSX.Element> {
  __userId: string;
  __name: string;

  /** Lexical's registry key; must equal the shared JSON `type`. */
  static override getType(): string {
    return 'mention';
  }

  /** Copies a node for Lexical's immutable updates. */
  static override clone(node: MentionNode): MentionNode {
    return new MentionNode(node.__userId, node.__name, node.__key);
  }

  /** Builds a node from the shared mention JSON. */
  static override importJSON(json: SerializedPartial<SerializedLexicalNode> & Record<string, unknown>): MentionNode {
    // Loose on purpose: Lexical parses before the server's rules apply, and a bad mention must not crash the editor.
    return $createMentionNode(String(json.userId ?? ''), String(json.name ?? ''));
  }

  constructor(userId: string, name: string, key?: NodeKey) {
    super(key);
    this.__userId = userId;
    this.__name = name;
  }

  /** Writes the shared mention JSON and nothing else. */
  override exportJSON(): RichTextMentionNode {
    return { type: 'mention', version: MENTION_VERSION, userId: this.__userId, name: this.__name };
  }

  /** The mentioned user's id. */
  getUserId(): string {
    return this.getLatest().__userId;
  }

  /** The name as shown, without the @. */
  getName(): string {
    return this.getLatest().__name;
  }

  override createDOM(config: EditorConfig): HTMLElement {
    const span = document.createElement('span');
    span.className = config.theme.mention ?? 'mention';
    span.dataset.userId = this.__userId;
    return span;
  }

  override updateDOM(): boolean {
    return false;
  }

  /** Copy as HTML: the same markup the server renders for e-mail. */
  override exportDOM(): DOMExportOutput {
    const span = document.createElement('span');
    span.className = 'mention';
    span.dataset.userId = this.__userId;
    span.textContent = `@${this.__name}`;
    return { element: span };
  }

  /** Plain-text form used by copy, search in the editor and character counts. */
  override getTextContent(): string {
    return `@${this.__name}`;
  }

  override isInline(): true {
    return true;
  }

  override decorate(): JSX.Element {
    return <MentionLabel userId={this.__userId} name={this.__name} />;
  }
}

/** Creates a mention node inside an editor update. */
export function $createMentionNode(userId: string, name: string): MentionNode {
  return $applyNodeReplacement(new MentionNode(userId, name));
}

/** True when `node` is a MentionNode. */
export function $isMentionNode(node: LexicalNode | null | undefined): node is MentionNode {
  return node instanceof MentionNode;
}
