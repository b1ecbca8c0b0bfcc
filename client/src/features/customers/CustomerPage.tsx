import { useCallback, useEffect, useState } from 'react';
import { customerStream, type CustomerDetailDTO, type FeedItemDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { EntryEditor } from '../schedule/EntryEditor';
import { dayKey } from '../schedule/calendarRange';
import { customersApi } from './customersApi';
import { FeedList } from './FeedList';
import { classLabel, customerTiers } from './labels';
import { RichTextEditor } from '../../components/RichTextEditor';

/** One customer: contacts, following, value tier, planning a visit, and its feed arriving live. */
export function CustomerPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [customer, setCustomer] = useState<CustomerDetailDTO | null>(null);
  const [feed, setFeed] = useState<FeedItemDTO[]>([]);
  const [planning, setPlanning] = useState(false);
  const [comment, setComment] = useState<{ doc: Record<string, unknown> | null; round: number }>({ doc: null, round: 0 });
  const [contact, setContact] = useState({ name: '', title: '', phone: '', birthday: '' });
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setCustomer(await customersApi.get(id));
      setFeed((await customersApi.feed(id)).data);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useStream(customerStream(id), (envelope) => {
    const item = (envelope.data as { item?: FeedItemDTO }).item;
    if (envelope.type === 'feed.item' && item) setFeed((current) => (current.some((x) => x.id === item.id) ? current : [item, ...current]));
  });
  const act = (work: () => Promise<unknown>) => work().then(load, setError);
  if (!customer) return <ErrorNotice error={error} testId="customer-error" />;

  return (
    <section className="page" data-testid="customer-page">
      <h1 data-testid="customer-title">{customer.name}</h1>
      <p className="muted">
        {classLabel(t, customer)} · {t(`customers.type.${customer.type}`)} · {customer.owners.map((o) => o.displayName).join(t('common.listSeparator'))}
      </p>
      <ErrorNotice error={error} testId="customer-error" onDismiss={() => setError(null)} />
      <div className="toolbar">
        <button type="button" className="button-quiet" data-testid="customer-follow" onClick={() => act(() => customersApi.follow(id, !customer.following))}>
          {customer.following ? t('customers.unfollow') : t('customers.follow')}
        </button>
        <select value={customer.tier ?? ''} aria-label={t('customers.tierFilter')} onChange={(e) => act(() => customersApi.update(id, { tier: e.target.value || null }))} data-testid="customer-tier">
          <option value="">{t('customers.prospect', { class: customer.prospectClass ?? 'B' })}</option>
          {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
        </select>
        <button type="button" className="button" data-testid="plan-visit" onClick={() => setPlanning(true)}>{t('customers.planVisit')}</button>
      </div>
      {planning && <EntryEditor defaultDay={dayKey(new Date())} customer={customer} onCancel={() => setPlanning(false)} onSaved={() => setPlanning(false)} />}
      <h2>{t('customers.contacts')}</h2>
      <ul data-testid="contacts">
        {customer.contacts.map((c) => <li key={c.id}>{c.name} {c.title && `· ${c.title}`} {c.phone && `· ${c.phone}`} {c.birthday && `· 🎂 ${c.birthday}`}</li>)}
      </ul>
      <form className="toolbar" onSubmit={(e) => (e.preventDefault(), act(() => customersApi.addContact(id, { ...contact, birthday: contact.birthday || null })).then(() => setContact({ name: '', title: '', phone: '', birthday: '' })))}>
        <input required placeholder={t('customers.contactName')} value={contact.name} onChange={(e) => setContact({ ...contact, name: e.target.value })} />
        <input placeholder={t('customers.contactTitle')} value={contact.title} onChange={(e) => setContact({ ...contact, title: e.target.value })} />
        <input placeholder={t('customers.contactPhone')} value={contact.phone} onChange={(e) => setContact({ ...contact, phone: e.target.value })} />
        <input type="date" aria-label={t('customers.birthday')} value={contact.birthday} onChange={(e) => setContact({ ...contact, birthday: e.target.value })} />
        <button type="submit" className="button-quiet">{t('customers.addContact')}</button>
      </form>
      <h2>{t('customers.feed')}</h2>
      <div className="composer">
        <RichTextEditor key={comment.round} onChange={(doc) => setComment({ ...comment, doc: doc as unknown as Record<string, unknown> })} hideToolbar />
        <button type="button" className="button" disabled={!comment.doc} data-testid="customer-comment" onClick={() => comment.doc && act(() => customersApi.comment(id, comment.doc!)).then(() => setComment({ doc: null, round: comment.round + 1 }))}>
          {t('customers.comment')}
        </button>
        <button type="button" className="button-quiet" disabled={!comment.doc} onClick={() => comment.doc && act(() => customersApi.contactRecord(id, 'call', comment.doc!)).then(() => setComment({ doc: null, round: comment.round + 1 }))}>
          {t('customers.logCall')}
        </button>
      </div>
      <FeedList items={feed} showCustomer={false} />
    </section>
  );
}
