import { useMemo, useState, type FormEvent } from 'react';
import type { ConversationDTO, ConversationMemberDTO } from '../../../../shared/chat';
import { useI18n } from '../../i18n';
import { navigate } from '../../app/router';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { chatApi } from './chatApi';
import { useChatState, useChatStore } from './ChatProvider';
import { UserSearch } from '../../components/UserSearch';

/**
 * A group's settings: rename, members with their roles, adding and removing (owners and
 * admins; only owners change roles or remove owners), and leaving. Changes come back live
 * through the conversation's stream, so this panel only sends them.
 */
export function GroupSettings({ conversation, onClose }: { conversation: ConversationDTO; onClose: () => void }) {
  const { t } = useI18n();
  const store = useChatStore();
  const state = useChatState();
  const members = state.members[conversation.id]?.list ?? [];
  const [name, setName] = useState(conversation.name ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const exclude = useMemo(() => new Set(members.map((m) => m.id)), [members]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    void act(() => chatApi.rename(conversation.id, name.trim()));
  };
  const leave = () => {
    if (!window.confirm(t('chat.confirmLeave'))) return;
    void act(async () => {
      await store.leave(conversation.id);
      navigate('/chat');
    });
  };
  const { can } = conversation;
  const canRemove = (m: ConversationMemberDTO) => can.removeMembers && m.id !== store.me && (m.role !== 'owner' || can.removeOwners);

  return (
    <aside className="group-settings card" data-testid="group-settings">
      <div className="dropdown-head">
        <h2>{t('chat.settings')}</h2>
        <button type="button" className="link-button" onClick={onClose}>
          {t('common.dismiss')}
        </button>
      </div>
      <ErrorNotice error={error} testId="group-settings-error" />
      {can.rename && (
        <form className="group-rename" onSubmit={rename}>
          <input value={name} maxLength={100} aria-label={t('chat.groupName')} onChange={(e) => setName(e.target.value)} data-testid="group-rename-input" />
          <button type="submit" className="button-quiet" disabled={busy || !name.trim() || name.trim() === conversation.name} data-testid="group-rename-save">
            {t('chat.rename')}
          </button>
        </form>
      )}
      <h3 className="group-settings-title">{t('chat.memberCount', { count: conversation.memberCount })}</h3>
      <ul className="group-members" data-testid="group-members">
        {members.map((m) => (
          <li key={m.id} data-testid="group-member" data-user-id={m.id} data-role={m.role}>
            <span>
              {m.displayName} {m.role !== 'member' && <span className="tag">{t(`chat.role.${m.role}`)}</span>}
            </span>
            <span className="row-actions">
              {can.changeRoles && m.role !== 'owner' && (
                <button type="button" className="link-button" disabled={busy} onClick={() => void act(() => chatApi.setRole(conversation.id, m.id, m.role === 'admin' ? 'member' : 'admin'))}>
                  {m.role === 'admin' ? t('chat.revokeAdmin') : t('chat.makeAdmin')}
                </button>
              )}
              {canRemove(m) && (
                <button type="button" className="link-button" data-testid="group-member-remove" disabled={busy} onClick={() => void act(() => chatApi.removeMember(conversation.id, m.id))}>
                  {t('chat.removeMember')}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {can.addMembers && (
        <div className="field">
          <span className="field-label">{t('chat.addMembers')}</span>
          <UserSearch testId="group-add" exclude={exclude} onPick={(user) => void act(() => chatApi.addMembers(conversation.id, [user.id]))} />
        </div>
      )}
      {can.leave && (
        <button type="button" className="button-danger" data-testid="group-leave" disabled={busy} onClick={leave}>
          {t('chat.leave')}
        </button>
      )}
    </aside>
  );
}
