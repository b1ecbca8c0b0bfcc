import { useState } from 'react';
import { boardReactions, reactionEmoji, type BoardReaction, type ReactionDTO } from '../../../../shared/boards';
import { useI18n } from '../../i18n';

/** The reactions given so far with their counts (one's own pressed); "+" opens the fixed set to add one. A click adds or takes one back. */
export function ReactionBar({ reactions, me, enabled, onToggle, testId }: { reactions: ReactionDTO[]; me: string; enabled: boolean; onToggle: (reaction: BoardReaction, on: boolean) => void; testId: string }) {
  const { t } = useI18n();
  const [picking, setPicking] = useState(false);
  const shown = picking ? boardReactions : boardReactions.filter((reaction) => reactions.some((r) => r.reaction === reaction));
  return (
    <div className="reactions" data-testid={testId}>
      {shown.map((reaction) => {
        const found = reactions.find((r) => r.reaction === reaction);
        const mine = found?.userIds.includes(me) ?? false;
        return (
          <button
            key={reaction}
            type="button"
            className={mine ? 'reaction reaction-mine' : 'reaction'}
            aria-pressed={mine}
            aria-label={t(`boards.reaction.${reaction}`)}
            title={t(`boards.reaction.${reaction}`)}
            disabled={!enabled}
            data-testid={`${testId}-${reaction}`}
            data-count={found?.count ?? 0}
            onClick={() => (setPicking(false), onToggle(reaction, !mine))}
          >
            {reactionEmoji[reaction]}
            {found ? <span className="reaction-count">{found.count}</span> : null}
          </button>
        );
      })}
      {enabled && (
        <button type="button" className="reaction reaction-add" aria-expanded={picking} aria-label={t('boards.addReaction')} title={t('boards.addReaction')} data-testid={`${testId}-add`} onClick={() => setPicking(!picking)}>
          {picking ? '×' : '+'}
        </button>
      )}
    </div>
  );
}
