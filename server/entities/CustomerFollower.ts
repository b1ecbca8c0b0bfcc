import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';
import { User } from './User.js';

const CustomerFollowerSchema = defineEntity({
  name: 'CustomerFollower',
  tableName: 'customer_followers',
  indexes: [{ properties: ['user'], name: 'customer_followers_user_idx' }],
  properties: {
    customer: () => p.manyToOne(Customer).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A user who follows a customer's feed. */
export class CustomerFollower extends CustomerFollowerSchema.class {}
CustomerFollowerSchema.setClass(CustomerFollower);
export { CustomerFollowerSchema };
