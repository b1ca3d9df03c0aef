import type { ItemRecord, OrderLineRecord, OrderRecord, PartyRecord } from '../model.js';

/**
 * QXtend field names are QAD column names in camelCase (facts §4.3): cm_addr -> cmAddr. The Query
 * Service filters on the column names of the profile's primary table, so both spellings are needed.
 */
export function columnOf(field: string): string {
  return field.replace(/([a-z])([A-Z0-9])/g, '$1_$2').replace(/_([0-9])/g, '$1').toLowerCase();
}

const bool = (b: boolean): string => (b ? 'true' : 'false');
const date = (iso: string): string => iso.slice(0, 10);

export function partyToQdoc(p: PartyRecord, prefix: 'cm' | 'vd'): Record<string, string> {
  return {
    [`${prefix}Addr`]: p.code,
    adName: p.name,
    adLine1: p.addressLine1,
    adLine2: p.addressLine2,
    adCity: p.city,
    adState: p.state,
    adZip: p.postalCode,
    adCtry: p.country,
    adPhone: p.phone,
    adEmail: p.email,
    [`${prefix}Curr`]: p.currency,
    [`${prefix}CrTerms`]: p.creditTerms,
    [`${prefix}Active`]: bool(p.active),
    // Progress dates carry no time: a date-only column is why the shipped QXtend profile uses hashes.
    [`${prefix}ModDate`]: date(p.modifiedAt),
  };
}

export const PARTY_FIELDS: Array<[keyof PartyRecord, string]> = [
  ['name', 'adName'],
  ['addressLine1', 'adLine1'],
  ['addressLine2', 'adLine2'],
  ['city', 'adCity'],
  ['state', 'adState'],
  ['postalCode', 'adZip'],
  ['country', 'adCtry'],
  ['phone', 'adPhone'],
  ['email', 'adEmail'],
];

export function itemToQdoc(i: ItemRecord): Record<string, string> {
  return {
    ptPart: i.itemCode,
    ptDesc1: i.description,
    ptDesc2: i.description2,
    ptUm: i.unitOfMeasure,
    ptProdLine: i.productLine,
    ptStatus: i.status,
    ptPrice: String(i.listPrice),
    ptModDate: date(i.modifiedAt),
  };
}

export function lineToQdoc(l: OrderLineRecord): Record<string, string> {
  return {
    line: String(l.line),
    sodPart: l.itemCode,
    sodSite: l.site,
    sodQtyOrd: String(l.quantity),
    sodListPr: String(l.listPrice),
    sodPrice: String(l.netPrice),
    sodDueDate: l.dueDate,
    sodUm: l.unitOfMeasure,
  };
}

export function orderToQdoc(o: OrderRecord): Record<string, unknown> {
  return {
    soNbr: o.orderNumber,
    soCust: o.customerCode,
    soBill: o.billTo,
    soShip: o.shipTo,
    soPo: o.poNumber,
    soOrdDate: o.orderDate,
    soDueDate: o.dueDate,
    soCurr: o.currency,
    soSite: o.site,
    salesOrderDetail: o.lines.map(lineToQdoc),
  };
}
