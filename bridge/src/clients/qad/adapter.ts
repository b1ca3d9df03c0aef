import type { QadListObject } from './profile.js';
import type { QadRecord, SalesOrderInput } from './types.js';

export interface ReadOptions {
  /** watermark: only records modified at or after (ge) / after (gt) this value, as the profile says */
  since?: string | null;
  /** a page's `position` from an earlier read of the same query: the read goes on after it */
  resumeAfter?: string | null;
}

/** one page of a read, and where a read interrupted after it goes on from */
export interface QadPage {
  records: QadRecord[];
  /** opaque to callers: a page number (REST browses) or the last primary key (QXtend keyset pages) */
  position: string;
}

export interface SalesOrderWrite {
  headerCreated: boolean;
  linesCreated: number[];
}

/** What each API flavour implements; QadClient adds change detection, validation and limits on top. */
export interface QadAdapter {
  /** authenticates (discovering session limits where allowed) */
  prepare(): Promise<void>;
  /** checks every configured entity path (and browse/query) against the tenant; throws listing the missing ones */
  verifyEntityPaths(): Promise<void>;
  hasObject(object: QadListObject): boolean;
  watermarkSupported(object: QadListObject): boolean;
  readPages(object: QadListObject, options: ReadOptions): AsyncGenerator<QadPage>;
  getRecord(object: QadListObject, key: string): Promise<QadRecord | null>;
  updateParty(object: 'customer' | 'supplier', key: string, fields: Record<string, unknown>): Promise<QadRecord>;
  getSalesOrder(orderNumber: string): Promise<QadRecord | null>;
  /** reads what exists first, then adds only the missing header and lines */
  writeSalesOrder(input: SalesOrderInput, orderNumber: string): Promise<SalesOrderWrite>;
  close(): Promise<void>;
}
