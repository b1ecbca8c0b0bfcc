import { useCallback, useEffect, useState } from 'react';
import { customerStream, type CustomerDetailDTO, type FeedItemDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { EntryEditor } from '../schedule/EntryEditor';
import { dayKey } from '../schedule/calendarRange';
import { ContactList } from './ContactList';
import { CustomerEditor } from './CustomerEditor';
import { customersApi } from './customersApi';
import { FeedList } from './FeedList';
import { FilesPanel } from '../files/FilesPanel';
import { UploadList } from '../files/UploadList';
import { useAttachingUploads } from '../files/useUploads';
import { classLabel, customerTiers } from './labels';
import { RichTextEditor } from '../../components/RichTextEditor';

/** One customer: details and editing, contacts, following, value tier, planning a visit, and its feed arriving live. */
export function CustomerPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [customer, setCustomer] = useState<CustomerDetailDTO | null>(null);
  const [feed, setFeed] = useState<FeedItemDTO[]>([]);
  const [planning, setPlanning] = useState(false);
  const [editing, setEditing] = useState(false);
  const [comment, setComment] = useState<{ doc: Record<string, unknown> | null; round: number }>({ doc: null, round: 0 });
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<'overview' | 'files'>('overview');
  // Files pasted or dropped into the feed's editor, or added in the Files tab, go onto the customer (and into its feed, live).
  const customerUploads = useAttachingUploads('customer', id);

  const load = useCallback(async () => {
    try {
      setCustomer(await customersApi.get(id));
      setFeed((await customersApi.feed(id)).items);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useStream(customerStream(id), (envelope) => {
    // A linked board thread is not carried by the stream (not everyone who follows the customer may see it): ask again.
    if (envelope.type === 'feed.changed') return void customersApi.feed(id).then((page) => setFeed(page.items), setError);
    const { item } = envelope.data;
    setFeed((current) => (current.some((x) => x.id === item.id) ? current : [item, ...current]));
  });
  const act = (work: () => Promise<unknown>) =>
    work().then(
      async () => (await load(), true),
      (e: unknown) => (setError(e), false),
    );
  if (!customer) return <ErrorNotice error={error} testId="customer-error" />;
  // Owners, their superiors and administrators, as the server decided: others are not offered controls it would refuse.
  const canManage = customer.can.edit;

  return (
    <section className="page" data-testid="customer-page">
      <h1 data-testid="customer-title">{customer.name}</h1>
      <p className="muted" data-testid="customer-facts">
        {classLabel(t, customer)} · {t(`customers.type.${customer.type}`)} · {customer.owners.map((o) => o.displayName).join(t('common.listSeparator'))}
      </p>
      {customer.address && <p data-testid="customer-address">{t('customers.address')}: {customer.address}</p>}
      {customer.notes && <p className="pre-wrap" data-testid="customer-notes">{customer.notes}</p>}
      <ErrorNotice error={error} testId="customer-error" onDismiss={() => setError(null)} />
      <div className="toolbar">
        <button type="button" className="button-quiet" data-testid="customer-follow" onClick={() => act(() => customersApi.follow(id, !customer.following))}>
          {customer.following ? t('customers.unfollow') : t('customers.follow')}
        </button>
        {canManage && (
          <select value={customer.tier ?? ''} aria-label={t('customers.tierFilter')} onChange={(e) => act(() => customersApi.update(id, { tier: e.target.value || null }))} data-testid="customer-tier">
            <option value="">{t('customers.prospect', { class: customer.prospectClass ?? 'B' })}</option>
            {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
          </select>
        )}
        {canManage && !editing && <button type="button" className="button-quiet" data-testid="customer-edit" onClick={() => setEditing(true)}>{t('customers.edit')}</button>}
        <button type="button" className="button" data-testid="plan-visit" onClick={() => setPlanning(true)}>{t('customers.planVisit')}</button>
      </div>
      {editing && <CustomerEditor customer={customer} onCancel={() => setEditing(false)} onSaved={() => (setEditing(false), void load())} />}
      {planning && <EntryEditor defaultDay={dayKey(new Date())} customer={customer} onCancel={() => setPlanning(false)} onSaved={() => setPlanning(false)} />}
      <div role="tablist" className="tabs" aria-label={customer.name}>
        <button type="button" role="tab" id="customer-tab-overview" aria-selected={tab === 'overview'} aria-controls="customer-panel" className={tab === 'overview' ? 'tab active' : 'tab'} onClick={() => setTab('overview')}>
          {t('customers.feed')}
        </button>
        <button type="button" role="tab" id="customer-tab-files" data-testid="customer-files-tab" aria-selected={tab === 'files'} aria-controls="customer-panel" className={tab === 'files' ? 'tab active' : 'tab'} onClick={() => setTab('files')}>
          {t('files.tab')}
        </button>
      </div>
      <div role="tabpanel" id="customer-panel" aria-labelledby={`customer-tab-${tab}`}>
      {tab === 'files' ? (
        <>
          <h2>{t('files.title')}</h2>
          {/* Files others add reach the feed live; each such item reloads the list. */}
          <FilesPanel key={feed.filter((item) => item.kind === 'files').length} kind="customer" hostId={id} canAdd uploads={customerUploads} />
        </>
      ) : (
      <>
      <h2>{t('customers.contacts')}</h2>
      <ContactList customerId={id} contacts={customer.contacts} canManage={canManage} act={act} />
      <h2>{t('customers.feed')}</h2>
      <div className="composer">
        <UploadList uploads={customerUploads} />
        <RichTextEditor key={comment.round} onChange={(doc) => setComment({ ...comment, doc: doc as unknown as Record<string, unknown> })} hideToolbar onFiles={customerUploads.add} />
        <button type="button" className="button" disabled={!comment.doc} data-testid="customer-comment" onClick={() => comment.doc && act(() => customersApi.comment(id, comment.doc!)).then(() => setComment({ doc: null, round: comment.round + 1 }))}>
          {t('customers.comment')}
        </button>
        <button type="button" className="button-quiet" disabled={!comment.doc} onClick={() => comment.doc && act(() => customersApi.contactRecord(id, 'call', comment.doc!)).then(() => setComment({ doc: null, round: comment.round + 1 }))}>
          {t('customers.logCall')}
        </button>
      </div>
      <FeedList items={feed} showCustomer={false} />
      </>
      )}
      </div>
    </section>
  );
}
