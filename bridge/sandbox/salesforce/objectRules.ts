import { RecordError } from './errors.js';
import type { RecordStore, Row } from './store.js';
import type { StoredValue } from './values.js';

/**
 * Object-specific platform behaviour: the Order lifecycle and its lock, price book rules, and the
 * fields the platform derives (Contact.Name, Order.StatusCode, OrderItem.ListPrice/TotalPrice, the
 * Order.TotalAmount roll-up). Kept apart from the generic write path so each rule is visible.
 */
type Mutable = Record<string, StoredValue>;

const lockedOrder = (): RecordError =>
  new RecordError('ENTITY_IS_LOCKED', 'Unable to modify activated or superseded Order: cannot delete Order, or add or remove Order Products', []);

function isActivated(order: Row | Mutable | undefined): boolean {
  return order?.Status === 'Activated';
}

/** Fills derived fields of a row about to be stored. */
export function deriveFields(objectName: string, row: Mutable, store: RecordStore): void {
  switch (objectName) {
    case 'Contact':
    case 'User':
      row.Name = [row.FirstName, row.LastName].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
      break;
    case 'Order':
      row.StatusCode = row.Status === 'Activated' ? 'Activated' : 'Draft';
      break;
    case 'OrderItem': {
      const quantity = typeof row.Quantity === 'number' ? row.Quantity : 0;
      const unitPrice = typeof row.UnitPrice === 'number' ? row.UnitPrice : 0;
      row.TotalPrice = Math.round(quantity * unitPrice * 100) / 100;
      break;
    }
    case 'PricebookEntry': {
      const product = typeof row.Product2Id === 'string' ? store.get('Product2', row.Product2Id) : undefined;
      row.Name = (product?.Name as string | undefined) ?? null;
      row.ProductCode = (product?.ProductCode as string | undefined) ?? null;
      break;
    }
    default:
      break;
  }
}

/**
 * Usernames are unique across every org, compared without case; a deactivated user keeps its
 * username. The code and message are the platform's (Salesforce knowledge article 000182266).
 */
function checkUsername(row: Mutable, store: RecordStore): void {
  const wanted = typeof row.Username === 'string' ? row.Username.toLowerCase() : null;
  if (wanted === null) return;
  for (const other of store.rows('User')) {
    if (other.Id !== row.Id && typeof other.Username === 'string' && other.Username.toLowerCase() === wanted) {
      throw new RecordError('DUPLICATE_USERNAME', 'Duplicate Username.<br>Another user has already selected this username.<br>Please select another.', ['Username']);
    }
  }
}

/**
 * The activation update changes Status alone (facts §8). The code is the one the platform uses for
 * order-rule refusals; the wording of the message is the sandbox's own.
 */
function checkActivation(before: Row, after: Mutable, changed: Set<string>): void {
  if (isActivated(before) || !changed.has('Status') || !isActivated(after)) return;
  const others = [...changed].filter((field) => field !== 'Status').sort();
  if (others.length === 0) return;
  throw new RecordError(
    'FIELD_INTEGRITY_EXCEPTION',
    `Status: an order is activated by an update that changes only Status; this update also changes ${others.join(', ')}. Save those changes first, then activate.`,
    ['Status', ...others],
  );
}

export function checkInsert(objectName: string, row: Mutable, store: RecordStore): void {
  if (objectName === 'User') checkUsername(row, store);
  if (objectName === 'Order') {
    if (row.Status !== null && row.Status !== 'Draft') {
      throw new RecordError(
        'FIELD_INTEGRITY_EXCEPTION',
        'Choose a Draft status for a new order; an order is activated by a later update of Status.',
        ['Status'],
      );
    }
  }
  if (objectName === 'PricebookEntry') checkPricebookEntry(row, store);
  if (objectName === 'OrderItem') checkOrderLine(row, store);
}

export function checkUpdate(objectName: string, before: Row, after: Mutable, changed: Set<string>, store: RecordStore): void {
  if (objectName === 'User' && changed.has('Username')) checkUsername(after, store);
  if (objectName === 'Order') {
    checkActivation(before, after, changed);
    if (changed.has('Pricebook2Id') && before.Pricebook2Id !== null && before.Pricebook2Id !== undefined) {
      throw new RecordError('FIELD_INTEGRITY_EXCEPTION', 'Price Book: the price book of an order cannot be changed or removed once it is set.', ['Pricebook2Id']);
    }
    if (changed.has('AccountId') && isActivated(before)) {
      throw new RecordError('FIELD_INTEGRITY_EXCEPTION', 'Account ID: the account can only be changed while the order is in a Draft status.', ['AccountId']);
    }
    if (isActivated(before) && !changed.has('Status') && changed.size > 0) {
      const priceImpacting = [...changed].filter((f) => f === 'EffectiveDate' || f === 'Pricebook2Id');
      if (priceImpacting.length > 0) throw lockedOrder();
    }
  }
  if (objectName === 'OrderItem') {
    const order = store.get('Order', before.OrderId as string);
    if (isActivated(order) && (changed.has('Quantity') || changed.has('UnitPrice'))) throw lockedOrder();
  }
  if (objectName === 'Pricebook2' && before.IsStandard === true && changed.has('IsActive') && after.IsActive === false) {
    throw new RecordError('FIELD_INTEGRITY_EXCEPTION', 'The standard price book cannot be deactivated.', ['IsActive']);
  }
}

export function checkDelete(objectName: string, row: Row, store: RecordStore): void {
  if (objectName === 'Order' && isActivated(row)) throw lockedOrder();
  if (objectName === 'OrderItem' && isActivated(store.get('Order', row.OrderId as string))) throw lockedOrder();
  if (objectName === 'Pricebook2' && row.IsStandard === true) {
    throw new RecordError('DELETE_FAILED', 'The standard price book cannot be deleted.', []);
  }
}

/** Children removed with their parent, in the order the platform cascades them. */
export function cascadeChildren(objectName: string, row: Row, store: RecordStore): Array<{ objectName: string; id: string }> {
  const id = row.Id as string;
  const children: Array<{ objectName: string; id: string }> = [];
  const collect = (child: string, field: string) => {
    for (const r of store.children(child, field, id)) children.push({ objectName: child, id: r.Id as string });
  };
  if (objectName === 'Order') collect('OrderItem', 'OrderId');
  if (objectName === 'Account') {
    if (store.children('Order', 'AccountId', id).length > 0) {
      throw new RecordError('DELETE_FAILED', `Your attempt to delete ${String(row.Name)} could not be completed because it is associated with orders.`, []);
    }
    collect('Contact', 'AccountId');
  }
  if (objectName === 'Product2' || objectName === 'Pricebook2') {
    const field = objectName === 'Product2' ? 'Product2Id' : 'Pricebook2Id';
    for (const entry of store.children('PricebookEntry', field, id)) {
      if (store.children('OrderItem', 'PricebookEntryId', entry.Id as string).length > 0) {
        throw new RecordError('DELETE_FAILED', `${String(row.Name)} is used on order products and cannot be deleted.`, []);
      }
    }
    collect('PricebookEntry', field);
  }
  return children;
}

function checkPricebookEntry(row: Mutable, store: RecordStore): void {
  const pricebook = store.get('Pricebook2', row.Pricebook2Id as string);
  const entriesOfProduct = store.children('PricebookEntry', 'Product2Id', row.Product2Id as string);
  if (entriesOfProduct.some((entry) => entry.Pricebook2Id === row.Pricebook2Id)) {
    throw new RecordError('DUPLICATE_VALUE', 'This price definition already exists in this price book', []);
  }
  if (pricebook && pricebook.IsStandard !== true) {
    const hasStandard = entriesOfProduct.some((entry) => store.get('Pricebook2', entry.Pricebook2Id as string)?.IsStandard === true);
    if (!hasStandard) throw new RecordError('STANDARD_PRICE_NOT_DEFINED', 'No standard price defined for this product', []);
  }
}

function checkOrderLine(row: Mutable, store: RecordStore): void {
  const order = store.get('Order', row.OrderId as string);
  if (isActivated(order)) throw lockedOrder();
  const entry = store.get('PricebookEntry', row.PricebookEntryId as string);
  if (!order || !entry) return;
  if (order.Pricebook2Id === null || order.Pricebook2Id === undefined || entry.Pricebook2Id !== order.Pricebook2Id) {
    throw new RecordError(
      'FIELD_INTEGRITY_EXCEPTION',
      'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order',
      ['PricebookEntryId'],
    );
  }
  if (row.Product2Id !== null && row.Product2Id !== undefined && row.Product2Id !== entry.Product2Id) {
    throw new RecordError('FIELD_INTEGRITY_EXCEPTION', 'Product ID: the product must be the product of the price book entry.', ['Product2Id']);
  }
  row.Product2Id = entry.Product2Id ?? null;
  row.ListPrice = entry.UnitPrice ?? null;
}

/** Recomputes an order's TotalAmount from its lines (a roll-up: no change event of its own). */
export function rollUpOrderTotal(orderId: string, store: RecordStore): void {
  const order = store.get('Order', orderId);
  if (!order) return;
  let total = 0;
  for (const line of store.children('OrderItem', 'OrderId', orderId)) total += (line.TotalPrice as number | null) ?? 0;
  total = Math.round(total * 100) / 100;
  if (order.TotalAmount !== total) store.put('Order', { ...order, TotalAmount: total });
}
