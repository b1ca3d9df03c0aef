import { errorsEnvelope, json, parseJsonBody, submitResult, type FieldError, type Reply, type RequestContext } from './http.js';
import { itemKey, orderKey, partyKey, type OrderLineRecord, type OrderRecord } from './model.js';
import type { TenantState } from './state.js';
import type { Workspace } from './workspace.js';

/**
 * The REST sales-order write as public loaders drive it (facts §2.7): POST the header, then per line
 * GET an initialised line template, POST one fieldChange per field (the server fills defaults and
 * prices, like the UI), and POST the grid to commit. Nothing here is atomic across calls.
 */

export const SO_VIEW_URI = 'urn:be:com.qad.sales.salesorder.ISalesOrderHeader';
const DATE = /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.000)?Z)?$/;

function toIsoDate(value: unknown): string | null {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!))) return null;
  return match[1]!;
}

const restDate = (d: string): string => `${d}T00:00:00.000Z`;

export function headerToRest(o: OrderRecord): Record<string, unknown> {
  return {
    uri: `${SO_VIEW_URI}:${o.domain}.${o.orderNumber}`,
    salesOrderNumber: o.orderNumber,
    domainCode: o.domain,
    soldToCustomerCode: o.customerCode,
    billToCustomerCode: o.billTo,
    shipToCustomerCode: o.shipTo,
    customerPurchaseOrder: o.poNumber,
    siteCode: o.site,
    currencyCode: o.currency,
    orderDate: restDate(o.orderDate),
    dueDate: restDate(o.dueDate),
  };
}

function lineToRest(o: OrderRecord, l: OrderLineRecord): Record<string, unknown> {
  return {
    salesOrderNumber: o.orderNumber,
    domainCode: o.domain,
    salesOrderLine: l.line,
    itemCode: l.itemCode,
    siteCode: l.site,
    quantityOrdered: l.quantity,
    listPrice: l.listPrice,
    netPrice: l.netPrice,
    dueDate: restDate(l.dueDate),
    unitOfMeasure: l.unitOfMeasure,
  };
}

function orderFromQuery(state: TenantState, ctx: RequestContext, workspace: Workspace): { domain: string; number: string; order: OrderRecord | undefined } {
  const domain = ctx.query.get('domainCode') ?? workspace.domain.code;
  const number = ctx.query.get('salesOrderNumber') ?? '';
  return { domain, number, order: state.order(domain, number) };
}

export function handleHeaders(state: TenantState, ctx: RequestContext, workspace: Workspace): Reply {
  const viewUri = ctx.query.get('viewUri');
  if (viewUri !== null && viewUri !== SO_VIEW_URI) return errorsEnvelope(400, `Unknown viewUri '${viewUri}'`, 'soHeaderRead', 'viewUri');
  if (ctx.method === 'GET') {
    const { order } = orderFromQuery(state, ctx, workspace);
    return json(200, { data: { salesOrderHeaders: order ? [headerToRest(order)] : [] } }, 'soHeaderRead');
  }
  if (ctx.method !== 'POST') return errorsEnvelope(405, `Method ${ctx.method} not allowed`, 'soHeaderWrite');
  const body = parseJsonBody(ctx) as { salesOrderHeaders?: Array<Record<string, unknown>> } | undefined;
  const header = body?.salesOrderHeaders?.[0];
  if (!header || typeof header !== 'object') return errorsEnvelope(400, 'Request body must hold a "salesOrderHeaders" array', 'soHeaderWrite', 'salesOrderHeaders');
  const errors: FieldError[] = [];
  const number = String(header.salesOrderNumber ?? '');
  const domain = String(header.domainCode ?? workspace.domain.code);
  const domainRecord = state.domain(domain);
  if (header.dataOperation !== 'C') errors.push({ fieldName: 'dataOperation', message: 'Only create is supported for sales order headers here.', code: '1001', value: header.dataOperation });
  // so_nbr is x(8); the simulated tenant does not auto-number (whether real ones do is unconfirmed).
  if (number === '' || number.length > 8) errors.push({ fieldName: 'SalesOrderNumber', message: 'Sales order number must be 1 to 8 characters.', code: '1023', value: number });
  else if (state.order(domain, number)) errors.push({ fieldName: 'SalesOrderNumber', message: `Sales order ${number} already exists.`, code: '2041', value: number });
  if (!domainRecord || domain !== workspace.domain.code) errors.push({ fieldName: 'DomainCode', message: `Domain ${domain} is not the workspace domain.`, code: '1001', value: domain });
  const sharedSet = domainRecord?.sharedSet ?? workspace.domain.sharedSet;
  const soldTo = String(header.soldToCustomerCode ?? '');
  if (!state.customers.get(partyKey({ sharedSet, code: soldTo }))) errors.push({ fieldName: 'SoldToCustomerCode', message: `Customer ${soldTo} does not exist.`, code: '1180', value: soldTo });
  const site = String(header.siteCode ?? '');
  if (!domainRecord?.sites.includes(site)) errors.push({ fieldName: 'SiteCode', message: `Site ${site} does not exist.`, code: '708', value: site });
  const currency = String(header.currencyCode ?? '');
  if (!state.domains.some((d) => d.currency === currency)) errors.push({ fieldName: 'CurrencyCode', message: `Currency ${currency} does not exist.`, code: '1135', value: currency });
  const orderDate = toIsoDate(header.orderDate);
  const dueDate = toIsoDate(header.dueDate);
  if (!orderDate) errors.push({ fieldName: 'OrderDate', message: 'Order date is not a valid date.', code: '27', value: header.orderDate });
  if (!dueDate) errors.push({ fieldName: 'DueDate', message: 'Due date is not a valid date.', code: '27', value: header.dueDate });
  if (errors.length > 0) return submitResult(errors, undefined, 'soHeaderWrite');
  const order: OrderRecord = {
    domain,
    orderNumber: number,
    customerCode: soldTo,
    billTo: String(header.billToCustomerCode ?? soldTo),
    shipTo: String(header.shipToCustomerCode ?? soldTo),
    poNumber: String(header.customerPurchaseOrder ?? ''),
    orderDate: orderDate!,
    dueDate: dueDate!,
    currency,
    site,
    lines: [],
  };
  state.orders.set(orderKey(order), order);
  return submitResult([], { salesOrderHeaders: [headerToRest(order)] }, 'soHeaderWrite');
}

function missingOrder(number: string, kind: Reply['kind']): Reply {
  return submitResult([{ fieldName: 'SalesOrderNumber', message: `Sales order ${number} does not exist.`, code: '1360', value: number }], undefined, kind);
}

export function handleLinesGrid(state: TenantState, ctx: RequestContext, workspace: Workspace): Reply {
  if (ctx.method === 'GET') {
    const { number, order } = orderFromQuery(state, ctx, workspace);
    const initialize = ctx.query.get('initialize') === 'true';
    const kind = initialize ? 'soLineTemplate' : 'soLineRead';
    if (!order) return missingOrder(number, kind);
    if (!initialize) return json(200, { data: { salesOrderLines: order.lines.map((l) => lineToRest(order, l)) } }, kind);
    const next = order.lines.reduce((max, l) => Math.max(max, l.line), 0) + 1;
    const template = {
      salesOrderNumber: order.orderNumber,
      domainCode: order.domain,
      salesOrderLine: next,
      itemCode: '',
      siteCode: order.site,
      quantityOrdered: 0,
      listPrice: 0,
      netPrice: 0,
      discountFormatted: '0',
      dueDate: restDate(order.dueDate),
      unitOfMeasure: '',
      itemDescription: '',
      dataOperation: 'C',
      concurrencyHash: '',
    };
    return json(200, { data: { salesOrderLines: [template] } }, kind);
  }
  if (ctx.method !== 'POST') return errorsEnvelope(405, `Method ${ctx.method} not allowed`, 'soLineCommit');
  const body = parseJsonBody(ctx) as { salesOrderLines?: Array<Record<string, unknown>> } | undefined;
  const line = body?.salesOrderLines?.[0];
  if (!line || typeof line !== 'object') return errorsEnvelope(400, 'Request body must hold a "salesOrderLines" array', 'soLineCommit', 'salesOrderLines');
  const domain = String(line.domainCode ?? workspace.domain.code);
  const number = String(line.salesOrderNumber ?? '');
  const order = state.order(domain, number);
  if (!order) return missingOrder(number, 'soLineCommit');
  const errors = validateLine(state, order, line);
  const lineNo = Number(line.salesOrderLine);
  if (!Number.isInteger(lineNo) || lineNo < 1) errors.push({ fieldName: 'SalesOrderLine', message: 'Line number must be a positive whole number.', code: '1001', value: line.salesOrderLine });
  else if (order.lines.some((l) => l.line === lineNo)) errors.push({ fieldName: 'SalesOrderLine', message: `Line ${lineNo} already exists on sales order ${number}.`, code: '1210', value: lineNo });
  if (errors.length > 0) return submitResult(errors, undefined, 'soLineCommit');
  const listPrice = Number(line.listPrice);
  order.lines.push({
    line: lineNo,
    itemCode: String(line.itemCode),
    site: String(line.siteCode),
    quantity: Number(line.quantityOrdered),
    listPrice,
    netPrice: Number(line.netPrice ?? listPrice),
    dueDate: toIsoDate(line.dueDate)!,
    unitOfMeasure: String(line.unitOfMeasure ?? 'EA'),
  });
  order.lines.sort((a, b) => a.line - b.line);
  return submitResult([], { salesOrderLines: [lineToRest(order, order.lines.find((l) => l.line === lineNo)!)] }, 'soLineCommit');
}

function validateLine(state: TenantState, order: OrderRecord, line: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const item = state.items.get(itemKey({ domain: order.domain, itemCode: String(line.itemCode ?? '') }));
  if (!item) errors.push({ fieldName: 'ItemCode', message: `Item ${String(line.itemCode ?? '')} does not exist.`, code: '16', value: line.itemCode });
  else if (item.status === 'OBSOLETE') errors.push({ fieldName: 'ItemCode', message: `Item ${item.itemCode} has status OBSOLETE; restricted transaction.`, code: '373', value: item.itemCode });
  if (!state.domain(order.domain)?.sites.includes(String(line.siteCode ?? ''))) errors.push({ fieldName: 'SiteCode', message: `Site ${String(line.siteCode ?? '')} does not exist.`, code: '708', value: line.siteCode });
  const qty = Number(line.quantityOrdered);
  if (!Number.isFinite(qty) || qty <= 0) errors.push({ fieldName: 'QuantityOrdered', message: 'Quantity ordered must be greater than zero.', code: '317', value: line.quantityOrdered });
  const price = Number(line.listPrice);
  if (!Number.isFinite(price) || price < 0) errors.push({ fieldName: 'ListPrice', message: 'List price cannot be negative.', code: '1001', value: line.listPrice });
  if (!toIsoDate(line.dueDate)) errors.push({ fieldName: 'DueDate', message: 'Due date is not a valid date.', code: '27', value: line.dueDate });
  return errors;
}

/** One field of the line, as the UI would send it; the server answers the whole line with defaults applied. */
export function handleFieldChange(state: TenantState, ctx: RequestContext, workspace: Workspace): Reply {
  if (ctx.method !== 'POST') return errorsEnvelope(405, `Method ${ctx.method} not allowed`, 'soFieldChange');
  const fieldName = ctx.query.get('fieldName') ?? '';
  const body = parseJsonBody(ctx) as { salesOrderLines?: Array<Record<string, unknown>> } | undefined;
  const incoming = body?.salesOrderLines?.[0];
  if (!incoming || typeof incoming !== 'object') return errorsEnvelope(400, 'Request body must hold a "salesOrderLines" array', 'soFieldChange', 'salesOrderLines');
  const line = { ...incoming };
  const order = state.order(String(line.domainCode ?? workspace.domain.code), String(line.salesOrderNumber ?? ''));
  if (!order) return missingOrder(String(line.salesOrderNumber ?? ''), 'soFieldChange');
  const errors: FieldError[] = [];
  switch (fieldName) {
    case 'itemCode': {
      const item = state.items.get(itemKey({ domain: order.domain, itemCode: String(line.itemCode ?? '') }));
      if (!item) errors.push({ fieldName: 'ItemCode', message: `Item ${String(line.itemCode ?? '')} does not exist.`, code: '16', value: line.itemCode });
      else {
        line.unitOfMeasure = item.unitOfMeasure;
        line.itemDescription = item.description;
        line.listPrice = item.listPrice;
        line.netPrice = item.listPrice;
        if (!line.siteCode) line.siteCode = order.site;
      }
      break;
    }
    case 'siteCode':
      if (!state.domain(order.domain)?.sites.includes(String(line.siteCode ?? ''))) errors.push({ fieldName: 'SiteCode', message: `Site ${String(line.siteCode ?? '')} does not exist.`, code: '708', value: line.siteCode });
      break;
    case 'quantityOrdered': {
      const qty = Number(line.quantityOrdered);
      if (!Number.isFinite(qty) || qty <= 0) errors.push({ fieldName: 'QuantityOrdered', message: 'Quantity ordered must be greater than zero.', code: '317', value: line.quantityOrdered });
      break;
    }
    case 'listPrice': {
      const price = Number(line.listPrice);
      if (!Number.isFinite(price) || price < 0) errors.push({ fieldName: 'ListPrice', message: 'List price cannot be negative.', code: '1001', value: line.listPrice });
      else line.netPrice = price;
      break;
    }
    case 'dueDate':
      if (!toIsoDate(line.dueDate)) errors.push({ fieldName: 'DueDate', message: 'Due date is not a valid date.', code: '27', value: line.dueDate });
      break;
    default:
      errors.push({ fieldName: 'fieldName', message: `Field ${fieldName} cannot be changed here.`, code: '1001', value: fieldName });
  }
  return submitResult(errors, { salesOrderLines: [line] }, 'soFieldChange');
}
