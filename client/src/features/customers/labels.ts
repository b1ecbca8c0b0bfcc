import { customerTiers, customerTypes, prospectClasses, type CustomerDTO } from '../../../../shared/customers';
import type { Translate } from '../../i18n';

export { customerTiers, customerTypes, prospectClasses };

/** "Platinum" or "Prospect A": the value class shown beside a customer. */
export function classLabel(t: Translate, c: Pick<CustomerDTO, 'tier' | 'prospectClass'>): string {
  if (c.tier) return t(`customers.tier.${c.tier}`);
  return t('customers.prospect', { class: c.prospectClass ?? 'B' });
}
