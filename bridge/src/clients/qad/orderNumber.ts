import { createHash } from 'node:crypto';

/**
 * The QAD sales-order number for a Salesforce order: prefix + base36 of its sha256, cut to the
 * tenant's length (so_nbr is x(8) in the classic schema). Deriving it instead of letting QAD
 * auto-number is what lets a retried write find the header an interrupted attempt created.
 */
export function salesOrderNumberFor(salesforceOrderId: string, options: { prefix: string; length: number }): string {
  const id = salesforceOrderId.trim();
  if (id === '') throw new RangeError('salesforceOrderId is empty');
  const room = options.length - options.prefix.length;
  if (room < 4) throw new RangeError(`prefix "${options.prefix}" leaves fewer than 4 characters of a ${options.length}-character order number`);
  // Salesforce ids come as 15- or 18-character forms of the same record; hash the 15-character one.
  const normalized = /^[a-zA-Z0-9]{18}$/.test(id) ? id.slice(0, 15) : id;
  const digest = createHash('sha256').update(normalized).digest();
  const value = digest.readBigUInt64BE(0);
  return `${options.prefix}${value.toString(36).toUpperCase().padStart(room, '0').slice(-room)}`;
}
