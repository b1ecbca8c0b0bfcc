import { DepartmentSchema } from './Department.js';
import { UserSchema } from './User.js';
import { SessionSchema } from './Session.js';
import { NotificationSchema } from './Notification.js';
import { StreamEventSchema } from './StreamEvent.js';
import { StreamHeadSchema } from './StreamHead.js';
import { ReminderSchema } from './Reminder.js';
import { ReminderOccurrenceSchema } from './ReminderOccurrence.js';
import { DeliverySchema } from './Delivery.js';
import { NotificationSettingsSchema } from './NotificationSettings.js';
import { ConversationSchema } from './Conversation.js';
import { ConversationMemberSchema } from './ConversationMember.js';
import { MessageSchema } from './Message.js';

export { Department } from './Department.js';
export { User } from './User.js';
export { Session } from './Session.js';
export { Notification } from './Notification.js';
export { StreamEvent } from './StreamEvent.js';
export { StreamHead } from './StreamHead.js';
export { Reminder } from './Reminder.js';
export { ReminderOccurrence } from './ReminderOccurrence.js';
export { Delivery } from './Delivery.js';
export { NotificationSettings } from './NotificationSettings.js';
export { Conversation } from './Conversation.js';
export { ConversationMember } from './ConversationMember.js';
export { Message } from './Message.js';

/** Every entity the ORM knows; new features append theirs here. */
export const entities = [DepartmentSchema, UserSchema, SessionSchema, NotificationSchema, StreamEventSchema, StreamHeadSchema, ConversationSchema, ConversationMemberSchema, MessageSchema, ReminderSchema, ReminderOccurrenceSchema, DeliverySchema, NotificationSettingsSchema];
