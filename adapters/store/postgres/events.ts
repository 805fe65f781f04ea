/**
 * The event log on PostgreSQL (core/ports/events.ts): INSERT and SELECT only; triggers in the schema
 * refuse UPDATE, DELETE and TRUNCATE from anywhere.
 */
import type { EventLog, NewEvent } from '../../../core/ports/store';
import { invalid, optionalLimit, requireText, requireTime } from '../input-checks';
import { insertEvent, type StoreContext } from './context';
import { toEvent, type EventRow } from './rows';

const DEFAULT_EVENT_LIMIT = 100;

export function createEventLog(ctx: StoreContext): EventLog {
  return {
    async appendEvent(e: NewEvent) {
      const detail = e.detail ?? {};
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw invalid('detail must be an object');
      try {
        JSON.stringify(detail);
      } catch {
        throw invalid('detail must be serialisable as JSON');
      }
      await insertEvent(ctx.sql, {
        actor: requireText(e.actor, 'actor'),
        action: requireText(e.action, 'action'),
        subject: requireText(e.subject, 'subject'),
        detail,
        at: requireTime(e.at, 'at'),
      });
    },

    async listEvents(subject, limit) {
      const n = optionalLimit(limit, 'limit', DEFAULT_EVENT_LIMIT);
      const { rows } =
        subject === undefined
          ? await ctx.sql.query<EventRow>('SELECT id, actor, action, subject, detail, at FROM events ORDER BY id DESC LIMIT $1', [n])
          : await ctx.sql.query<EventRow>('SELECT id, actor, action, subject, detail, at FROM events WHERE subject = $1 ORDER BY id DESC LIMIT $2', [subject, n]);
      return rows.map(toEvent);
    },
  };
}
