import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';
import { User } from './User.js';

const CustomerOwnerSchema = defineEntity({
  name: 'CustomerOwner',
  tableName: 'customer_owners',
  indexes: [{ properties: ['user'], name: 'customer_owners_user_idx' }],
  properties: {
    customer: () => p.manyToOne(Customer).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
  },
});

/** A staff member responsible for a customer. */
export class CustomerOwner extends CustomerOwnerSchema.class {}
CustomerOwnerSchema.setClass(CustomerOwner);
export { CustomerOwnerSchema };
