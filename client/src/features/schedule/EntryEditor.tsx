import { useState } from 'react';
import type { ScheduleEntryDTO } from '../../../../shared/schedule';
import { useMe } from '../auth/session';
import { EntryForm } from './EntryForm';
import { formToInput, newEntryForm } from './entryForm';
import { scheduleApi } from './scheduleApi';

/** Creates a schedule entry on a day, or a visit to a given customer when planned from its page. */
export function EntryEditor({ defaultDay, customer, onSaved, onCancel }: { defaultDay: string; customer?: { id: string; name: string }; onSaved: (e: ScheduleEntryDTO) => void; onCancel: () => void }) {
  const me = useMe();
  const [initial] = useState(() => newEntryForm(defaultDay, customer));
  return (
    <EntryForm
      initial={initial}
      timeZone={me.timeZone}
      fixedCustomer={!!customer}
      canRecur
      askScope={false}
      onSubmit={async (state) => onSaved(await scheduleApi.create({ ...formToInput(state), timeZone: me.timeZone }))}
      onCancel={onCancel}
    />
  );
}
