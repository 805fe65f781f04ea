/**
 * workers/errors `missingFile`: with the files in PostgreSQL, a read can fail because the database is
 * unreachable. Only what the BlobStore says is absent or not its own (and JSON that does not parse)
 * fails the job for good; anything else is thrown again, so BullMQ retries it.
 */
import { UnrecoverableError } from 'bullmq';
import { BlobStoreError } from '../../../core/ports/blob-store';
import { missingFile, StageInputError } from '../../../workers/errors';

async function outcome(err: unknown): Promise<unknown> {
  return Promise.reject(err)
    .catch(missingFile('the parsed mail is missing'))
    .catch((e: unknown) => e);
}

it('fails for good on BLOB_NOT_FOUND, BLOB_UNKNOWN_REF and unparsable JSON', async () => {
  for (const err of [new BlobStoreError('BLOB_NOT_FOUND', 'x'), new BlobStoreError('BLOB_UNKNOWN_REF', 'x'), new SyntaxError('Unexpected end of JSON input')]) {
    const e = await outcome(err);
    expect(e).toBeInstanceOf(StageInputError);
    expect(e).toBeInstanceOf(UnrecoverableError);
    expect((e as StageInputError).code).toBe('MISSING_FILE');
  }
});

it('throws anything else again, to be retried (a lost connection, a full disk)', async () => {
  const lost = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
  const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  expect(await outcome(lost)).toBe(lost);
  expect(await outcome(full)).toBe(full);
});
