import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';

const ContactSchema = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  indexes: [{ properties: ['customer'], name: 'contacts_customer_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    customer: () => p.manyToOne(Customer).deleteRule('cascade'),
    name: p.string().length(100),
    title: p.string().length(100).default(''),
    phone: p.string().length(40).default(''),
    email: p.string().length(254).default(''),
    // YYYY-MM-DD; the year may be unknown, written as 1904 (a leap year, so 29 February fits).
    birthday: p.string().length(10).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A person at a customer. */
export class Contact extends ContactSchema.class {}
ContactSchema.setClass(Contact);
export { ContactSchema };
