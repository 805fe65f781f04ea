/**
 * Hourly reply caps shared by all workers. A slot is claimed before a reply is sent and released
 * when the send fails, so only replies sent count; a reply staff approved is counted, never refused.
 *
 * A port: the reply stage (workers/) uses it, adapters/reply-rate.ts implements it on Redis.
 */
export interface ReplyRate {
  /** Takes a slot for this reply to `address`; returns why not (taking none) when a cap is reached. Idempotent per reply. */
  claim(address: string, replyId: string): Promise<string | undefined>;
  release(address: string, replyId: string): Promise<void>;
  count(address: string, replyId: string): Promise<void>;
}
