/** The error decides retry: a store error is retried when `transient`, or when another worker may be its cause. */
import { UnrecoverableError } from 'bullmq';
import { StoreError } from '../../../core/ports/store';
import { codeOf, permanentStoreError } from '../../../workers/errors';

describe('permanentStoreError', () => {
  it('fails at once on store errors that no retry can mend, keeping the store code for metrics', () => {
    for (const code of ['STORE_INVALID_INPUT', 'STORE_SCHEMA_TOO_NEW'] as const) {
      const err = permanentStoreError(new StoreError(code, 'x'));
      expect(err).toBeInstanceOf(UnrecoverableError);
      expect(codeOf(err)).toBe(code);
    }
  });

  it('leaves transient errors, races between workers, shutdown and other errors to the retries', () => {
    for (const code of ['STORE_BUSY', 'STORE_IO', 'STORE_CONFLICT', 'STORE_INVALID_STATE', 'STORE_NOT_FOUND', 'STORE_CLOSED'] as const) {
      expect(permanentStoreError(new StoreError(code, 'x'))).toBeUndefined();
    }
    expect(new StoreError('STORE_BUSY', 'x').transient).toBe(true);
    expect(permanentStoreError(new Error('ECONNRESET'))).toBeUndefined();
  });
});
