import Router from '@koa/router';
import { previewQuerySchema } from '../../../../shared/schemas/reminders.js';
import { AppError } from '../../../errors.js';
import { compileSchedule, formatInZone, RecurrenceError } from '../../../recurrence/expand.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

/** The live preview of a recurrence rule, used by the reminder editor before saving. */
export function recurrenceRouter(_deps: AppDeps) {
  const router = new Router({ prefix: '/api/recurrence' });
  route(router, '/api/recurrence', { method: 'get', path: '/preview', summary: 'The first occurrences of an RRULE from a local DTSTART in a time zone', tag: 'reminders', access: 'user', query: previewQuerySchema, envelope: false }, async ({ query }) => {
    try {
      const schedule = compileSchedule({ rrule: query.rrule || null, dtstart: query.dtstart, timeZone: query.tz });
      return { occurrences: schedule.next(query.count).map((d) => formatInZone(d, query.tz)) };
    } catch (error) {
      if (!(error instanceof RecurrenceError)) throw error;
      const path = error.field === 'zone' ? 'tz' : error.field;
      throw new AppError(400, 'validation_failed', `The query string is not valid: ${path}: ${error.message}`, [{ path, message: error.message, code: error.code }]);
    }
  });
  return router;
}
