/**
 * The application list's query string, read strictly: each value is checked
 * and an invalid one is dropped (the list then shows more, never an error).
 */
import type { ApplicationFilter } from '../../core/ports/store';
import { parsePositiveInt, stringField } from './context';
import { isStatus } from './views/common';

export const PAGE_SIZE = 25;
export const SORTS = ['received', 'decided', 'name', 'status', 'programme'] as const;
/** Staff work through applications as they arrived: the list sorts by received time unless asked otherwise. */
export const DEFAULT_SORT = 'received';
export type Sort = (typeof SORTS)[number];

/** The filter as the form shows it (strings, '' for unset). */
export interface ListQuery {
  programme: string;
  status: string;
  flag: string;
  from: string;
  to: string;
  q: string;
  unreviewed: boolean;
  sort: Sort;
  order: 'asc' | 'desc';
  page: number;
}

const PROGRAMME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;
const FLAG = /^[a-z0-9_]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string | undefined): string {
  if (!value || !DAY.test(value)) return '';
  const d = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? '' : value;
}

/** `programme=unknown` stands for applications whose programme is not known. */
export const UNKNOWN_PROGRAMME = 'unknown';

export function parseListQuery(query: unknown): ListQuery {
  const get = (name: string) => stringField(query, name)?.trim();
  const programme = get('programme') ?? '';
  const status = get('status') ?? '';
  const flag = get('flag') ?? '';
  const sort = get('sort') ?? '';
  const order = get('order');
  return {
    programme: PROGRAMME.test(programme) ? programme : '',
    status: isStatus(status) ? status : '',
    flag: FLAG.test(flag) ? flag : '',
    from: validDay(get('from')),
    to: validDay(get('to')),
    q: (get('q') ?? '').slice(0, 100),
    unreviewed: get('unreviewed') === '1',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : DEFAULT_SORT,
    order: order === 'asc' ? 'asc' : 'desc',
    page: parsePositiveInt(get('page'), 100_000) ?? 1,
  };
}

/** The store filter for a list query (without paging). */
export function toStoreFilter(q: ListQuery): ApplicationFilter {
  const f: ApplicationFilter = { sort: q.sort, order: q.order };
  if (q.programme) f.programme = q.programme === UNKNOWN_PROGRAMME ? null : q.programme;
  if (isStatus(q.status)) f.status = q.status;
  if (q.flag) f.flag = q.flag;
  if (q.from) f.receivedFrom = `${q.from}T00:00:00.000Z`;
  if (q.to) f.receivedBefore = new Date(Date.parse(`${q.to}T00:00:00.000Z`) + 86_400_000).toISOString();
  if (q.q) f.search = q.q;
  if (q.unreviewed) f.unreviewed = true;
  return f;
}

/** The query string for a list query, with some values changed (e.g. another page or sort). */
export function listQueryString(q: ListQuery, change: Partial<ListQuery> = {}): string {
  const merged = { ...q, ...change };
  const params = new URLSearchParams();
  if (merged.programme) params.set('programme', merged.programme);
  if (merged.status) params.set('status', merged.status);
  if (merged.flag) params.set('flag', merged.flag);
  if (merged.from) params.set('from', merged.from);
  if (merged.to) params.set('to', merged.to);
  if (merged.q) params.set('q', merged.q);
  if (merged.unreviewed) params.set('unreviewed', '1');
  if (merged.sort !== DEFAULT_SORT) params.set('sort', merged.sort);
  if (merged.order !== 'desc') params.set('order', merged.order);
  if (merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
