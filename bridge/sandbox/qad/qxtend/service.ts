import { randomUUID } from 'node:crypto';
import type { Reply, RequestContext } from '../http.js';
import { itemKey, orderKey, partyKey, type DomainRecord, type OrderLineRecord, type OrderRecord, type PartyRecord } from '../model.js';
import type { CallKind, TenantState } from '../state.js';
import { columnOf, itemToQdoc, orderToQdoc, partyToQdoc, PARTY_FIELDS } from './names.js';
import { NS, asArray, builder, parser, prefixed, text } from './xml.js';

/**
 * QXtend Inbound's QdocWebService (facts §4): a SOAP envelope addressed by `wsa:To` to a receiver,
 * `dsSessionContext` rows carrying domain, version, user and password, maintain QDocs with
 * A/M/S operations, and the Query Service for reads. Every answer carries `result` and
 * `dsExceptions/temp_err_msg`; session and addressing problems are SOAP faults.
 */

export interface QxtendOptions {
  receiver: string;
  versions: string[];
}

interface ErrMsg {
  nbr: string;
  desc: string;
  sev: '1' | '2' | '3' | '4';
  field: string;
  keys?: string;
}

interface Session {
  domain: DomainRecord;
  scopeTransaction: boolean;
}

function fault(code: 'Client' | 'Server', message: string, kind: CallKind): Reply {
  const xml = builder.build({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': NS.soap,
      'soapenv:Body': { 'soapenv:Fault': { faultcode: `soapenv:${code}`, faultstring: message } },
    },
  });
  return { status: 500, body: xml, contentType: 'text/xml;charset=UTF-8', kind };
}

function answer(operation: string, result: 'success' | 'warning' | 'error', messages: ErrMsg[], relatesTo: string, kind: CallKind, payload?: Record<string, unknown>, orderStep = false): Reply {
  const now = new Date().toISOString();
  const rows = messages.map((m, index) => ({
    tt_msg_nbr: m.nbr,
    tt_msg_desc: m.desc,
    tt_msg_sev: m.sev,
    tt_msg_field: m.field,
    tt_msg_context: operation,
    tt_msg_data: '',
    tt_msg_keys: m.keys ?? '',
    tt_msg_datetime: now,
    tt_msg_processed: 'false',
    tt_level: m.sev === '2' ? 'warning' : 'error',
    tt_msg_index: String(index + 1),
  }));
  const body: Record<string, unknown> = {
    '@_xmlns:ns1': NS.qdoc,
    'ns1:result': result,
    'ns3:dsExceptions': { '@_xmlns:ns3': NS.qcom, ...(rows.length > 0 ? { 'ns3:temp_err_msg': rows.map((r) => prefixed('ns3', r)) } : {}) },
    ...(payload ? prefixed('ns1', payload) : {}),
  };
  const xml = builder.build({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': NS.soap,
      '@_xmlns:wsa': NS.wsa,
      'soapenv:Header': { 'wsa:MessageID': `urn:uuid:${randomUUID()}`, 'wsa:RelatesTo': relatesTo, 'wsa:Action': '' },
      'soapenv:Body': { [`ns1:${operation}Response`]: body },
    },
  });
  return { status: 200, body: xml, contentType: 'text/xml;charset=UTF-8', kind, orderStep };
}

export function handleQxtend(state: TenantState, ctx: RequestContext, options: QxtendOptions): Reply {
  if (ctx.method !== 'POST') return fault('Client', 'QdocWebService accepts POST only', 'qxtendQuery');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(ctx.rawBody) as Record<string, unknown>;
  } catch (error) {
    return fault('Client', `Malformed XML: ${(error as Error).message}`, 'qxtendQuery');
  }
  const envelope = doc.Envelope as Record<string, unknown> | undefined;
  const body = envelope?.Body as Record<string, unknown> | undefined;
  if (!envelope || !body) return fault('Client', 'Not a SOAP envelope', 'qxtendQuery');
  const header = (envelope.Header ?? {}) as Record<string, unknown>;
  const operation = Object.keys(body)[0] ?? '';
  const kind: CallKind = operation.startsWith('query') ? 'qxtendQuery' : 'qxtendMaintain';
  const to = text(header.To);
  if (to !== `urn:services-qad-com:${options.receiver}`) return fault('Client', `ProcessException: receiver '${to}' is not defined (wsa:To must be urn:services-qad-com:<receiver>)`, kind);
  const relatesTo = text(header.MessageID);
  const request = (body[operation] ?? {}) as Record<string, unknown>;
  const props = new Map<string, string>();
  for (const row of asArray((request.dsSessionContext as Record<string, unknown> | undefined)?.ttContext as Record<string, unknown>[] | undefined)) {
    props.set(text(row.propertyName), text(row.propertyValue));
  }
  const version = props.get('version') ?? '';
  if (!options.versions.includes(version)) return fault('Server', `ProcessException: API ${operation}-${version || '(no version)'} is not enabled for receiver ${options.receiver}`, kind);
  if (!state.user(props.get('username') ?? '', props.get('password') ?? '')) {
    return fault('Server', 'ProcessException: session initialisation failed: invalid user name or password', kind);
  }
  const domain = state.domain(props.get('domain') ?? '');
  if (!domain) return answer(operation, 'error', [{ nbr: '6137', desc: `Domain ${props.get('domain') ?? ''} does not exist`, sev: '3', field: 'domain' }], relatesTo, kind);
  const session: Session = { domain, scopeTransaction: props.get('scopeTransaction') !== 'false' };

  if (operation.startsWith('query')) return query(state, operation, request, session, relatesTo);
  switch (operation) {
    case 'maintainCustomer':
      return maintainParty(state, operation, request, session, relatesTo, 'customers', 'cm', 'dsCustomer', 'customer');
    case 'maintainSupplier':
      return maintainParty(state, operation, request, session, relatesTo, 'suppliers', 'vd', 'dsSupplier', 'supplier');
    case 'maintainSalesOrder':
      return maintainSalesOrder(state, operation, request, session, relatesTo);
    default:
      return fault('Server', `ProcessException: API ${operation}-${version} is not enabled for receiver ${options.receiver}`, kind);
  }
}

interface Clause {
  column: string;
  op: string;
  value: string;
}

/** `col = "v" and col2 > "w"`: the subset of the ABL where-clause the bridge sends. */
function parseFilter(filter: string): Clause[] | string {
  if (filter.trim() === '') return [];
  const clause = /^\s*([a-z][a-z0-9_]*)\s*(=|<>|>=|<=|>|<|begins)\s*"((?:[^"]|"")*)"\s*/i;
  const out: Clause[] = [];
  let rest = filter;
  for (;;) {
    const m = clause.exec(rest);
    if (!m) return `Cannot parse filter near '${rest.slice(0, 30)}'`;
    out.push({ column: m[1]!.toLowerCase(), op: m[2]!.toLowerCase(), value: m[3]!.replace(/""/g, '"') });
    rest = rest.slice(m[0].length);
    if (rest.trim() === '') return out;
    const and = /^and\s+/i.exec(rest);
    if (!and) return `Expected "and" near '${rest.slice(0, 30)}'`;
    rest = rest.slice(and[0].length);
  }
}

function test(value: string, c: Clause): boolean {
  const numeric = value !== '' && c.value !== '' && !Number.isNaN(Number(value)) && !Number.isNaN(Number(c.value)) && !/^\d{4}-/.test(value);
  const cmp = numeric ? Number(value) - Number(c.value) : value < c.value ? -1 : value > c.value ? 1 : 0;
  switch (c.op) {
    case '=':
      return cmp === 0;
    case '<>':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '>=':
      return cmp >= 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case 'begins':
      return value.toLowerCase().startsWith(c.value.toLowerCase());
    default:
      return false;
  }
}

const QUERY_PROFILES: Record<string, { table: string; element: string }> = {
  QryCustomer: { table: 'cm_mstr', element: 'customer' },
  QrySupplier: { table: 'vd_mstr', element: 'supplier' },
  QryItem: { table: 'pt_mstr', element: 'item' },
  QrySalesOrder: { table: 'so_mstr', element: 'salesOrder' },
};

function query(state: TenantState, operation: string, request: Record<string, unknown>, session: Session, relatesTo: string): Reply {
  const qs = ((request.dsQueryServiceRequest as Record<string, unknown> | undefined)?.QueryServiceRequest ?? {}) as Record<string, unknown>;
  const profileName = text(qs.Profile);
  const profile = QUERY_PROFILES[profileName];
  const isOrder = profileName === 'QrySalesOrder';
  if (!profile) return answer(operation, 'error', [{ nbr: 'QS-001', desc: `Query profile ${profileName} does not exist`, sev: '3', field: 'Profile' }], relatesTo, 'qxtendQuery');
  const maxRows = Number(text(qs.MaxRows) || '0');
  if (!Number.isInteger(maxRows) || maxRows < 1) return answer(operation, 'error', [{ nbr: 'QS-002', desc: 'MaxRows must be a positive whole number', sev: '3', field: 'MaxRows' }], relatesTo, 'qxtendQuery');
  const clauses = parseFilter(text(qs.Filter));
  if (typeof clauses === 'string') return answer(operation, 'error', [{ nbr: 'QS-003', desc: clauses, sev: '3', field: 'Filter' }], relatesTo, 'qxtendQuery', undefined, isOrder);
  let rows: Array<Record<string, unknown>>;
  switch (profileName) {
    case 'QryCustomer':
      rows = state.customers.sorted().filter((p) => p.sharedSet === session.domain.sharedSet).map((p) => partyToQdoc(p, 'cm'));
      break;
    case 'QrySupplier':
      rows = state.suppliers.sorted().filter((p) => p.sharedSet === session.domain.sharedSet).map((p) => partyToQdoc(p, 'vd'));
      break;
    case 'QryItem':
      rows = state.items.sorted().filter((i) => i.domain === session.domain.code).map(itemToQdoc);
      break;
    default:
      rows = state.orders.sorted().filter((o) => o.domain === session.domain.code).map(orderToQdoc);
  }
  const prefix = profile.table.split('_')[0]!;
  for (const c of clauses) {
    // The Query Service filters on the profile's primary table only (facts §4.6).
    if (!c.column.startsWith(`${prefix}_`) || (rows[0] && !Object.keys(rows[0]).some((k) => columnOf(k) === c.column))) {
      return answer(operation, 'error', [{ nbr: 'QS-004', desc: `Field ${c.column} is not in table ${profile.table}`, sev: '3', field: 'Filter' }], relatesTo, 'qxtendQuery', undefined, isOrder);
    }
  }
  const selected: Array<Record<string, unknown>> = [];
  for (const row of rows) {
    const byColumn = new Map(Object.entries(row).map(([k, v]) => [columnOf(k), v]));
    if (clauses.every((c) => test(String(byColumn.get(c.column) ?? ''), c))) selected.push(row);
    if (selected.length === maxRows) break;
  }
  return answer(operation, 'success', [], relatesTo, 'qxtendQuery', { dsQueryServiceResponse: { [profile.element]: selected } }, isOrder);
}

type PartyTable = 'customers' | 'suppliers';

function validateParty(p: PartyRecord, currencies: Set<string>): ErrMsg[] {
  const errors: ErrMsg[] = [];
  if (p.name.trim() === '') errors.push({ nbr: '40', desc: 'Blank not allowed', sev: '3', field: 'adName' });
  if (p.name.length > 36) errors.push({ nbr: '1023', desc: 'Name cannot be longer than 36 characters', sev: '3', field: 'adName' });
  if (p.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email)) errors.push({ nbr: '3541', desc: `Email address ${p.email} is not valid`, sev: '3', field: 'adEmail' });
  if (!currencies.has(p.currency)) errors.push({ nbr: '3088', desc: `Currency ${p.currency} does not exist`, sev: '3', field: 'cmCurr' });
  return errors;
}

function maintainParty(state: TenantState, operation: string, request: Record<string, unknown>, session: Session, relatesTo: string, table: PartyTable, prefix: 'cm' | 'vd', dataset: string, element: string): Reply {
  const records = asArray((request[dataset] as Record<string, unknown> | undefined)?.[element] as Record<string, unknown>[] | undefined);
  if (records.length === 0) return answer(operation, 'error', [{ nbr: 'QX-010', desc: `No ${element} element in ${dataset}`, sev: '3', field: element }], relatesTo, 'qxtendMaintain');
  const messages: ErrMsg[] = [];
  const staged: PartyRecord[] = [];
  const currencies = new Set(state.domains.map((d) => d.currency));
  for (const record of records) {
    const op = text(record.operation);
    const code = text(record[`${prefix}Addr`]);
    const existing = state[table].get(partyKey({ sharedSet: session.domain.sharedSet, code }));
    if (op === 'A' && existing) { messages.push({ nbr: '1', desc: `Record ${code} already exists`, sev: '3', field: `${prefix}Addr`, keys: code }); continue; }
    if (op === 'M' && !existing) { messages.push({ nbr: '2', desc: `Record ${code} not found`, sev: '3', field: `${prefix}Addr`, keys: code }); continue; }
    if (!['A', 'M', 'S'].includes(op)) { messages.push({ nbr: 'QX-011', desc: `Operation ${op} not supported`, sev: '3', field: 'operation' }); continue; }
    const next: PartyRecord = existing
      ? { ...existing }
      : { sharedSet: session.domain.sharedSet, code, businessRelation: `BR${code}`, name: '', addressLine1: '', addressLine2: '', city: '', state: '', postalCode: '', country: 'US', phone: '', email: '', currency: session.domain.currency, creditTerms: '30D', active: true, modifiedAt: state.nowIso() };
    for (const [own, field] of PARTY_FIELDS) if (field in record) (next as unknown as Record<string, unknown>)[own] = text(record[field]);
    if (`${prefix}Curr` in record) next.currency = text(record[`${prefix}Curr`]);
    if (`${prefix}CrTerms` in record) next.creditTerms = text(record[`${prefix}CrTerms`]);
    if (`${prefix}Active` in record) next.active = /^(true|yes)$/i.test(text(record[`${prefix}Active`]));
    const errors = validateParty(next, currencies).map((e) => ({ ...e, field: e.field.replace(/^cm/, prefix), keys: code }));
    if (errors.length > 0) { messages.push(...errors); continue; }
    next.modifiedAt = state.nowIso();
    staged.push(next);
  }
  if (messages.length > 0 && session.scopeTransaction) return answer(operation, 'error', messages, relatesTo, 'qxtendMaintain');
  for (const p of staged) state[table].set(partyKey(p), p);
  return answer(operation, messages.length > 0 ? 'error' : 'success', messages, relatesTo, 'qxtendMaintain');
}

function maintainSalesOrder(state: TenantState, operation: string, request: Record<string, unknown>, session: Session, relatesTo: string): Reply {
  const header = asArray((request.dsSalesOrder as Record<string, unknown> | undefined)?.salesOrder as Record<string, unknown>[] | undefined)[0];
  const fail = (messages: ErrMsg[]): Reply => answer(operation, 'error', messages, relatesTo, 'qxtendMaintain', undefined, true);
  if (!header) return fail([{ nbr: 'QX-010', desc: 'No salesOrder element in dsSalesOrder', sev: '3', field: 'salesOrder' }]);
  const number = text(header.soNbr);
  const op = text(header.operation);
  const existing = state.order(session.domain.code, number);
  const messages: ErrMsg[] = [];
  if (number === '' || number.length > 8) messages.push({ nbr: '1023', desc: 'Sales order number must be 1 to 8 characters', sev: '3', field: 'soNbr' });
  if (op === 'A' && existing) messages.push({ nbr: '1183', desc: `Sales order ${number} already exists`, sev: '3', field: 'soNbr', keys: number });
  if (op === 'M' && !existing) messages.push({ nbr: '1360', desc: `Sales order ${number} does not exist`, sev: '3', field: 'soNbr', keys: number });
  if (!['A', 'M', 'S'].includes(op)) messages.push({ nbr: 'QX-011', desc: `Operation ${op} not supported`, sev: '3', field: 'operation' });
  if (messages.length > 0) return fail(messages);
  const order: OrderRecord = existing
    ? { ...existing, lines: existing.lines.map((l) => ({ ...l })) }
    : {
        domain: session.domain.code,
        orderNumber: number,
        customerCode: text(header.soCust),
        billTo: text(header.soBill) || text(header.soCust),
        shipTo: text(header.soShip) || text(header.soCust),
        poNumber: text(header.soPo),
        orderDate: text(header.soOrdDate),
        dueDate: text(header.soDueDate),
        currency: text(header.soCurr) || session.domain.currency,
        site: text(header.soSite) || session.domain.sites[0]!,
        lines: [],
      };
  if (!existing) {
    if (!state.customers.get(partyKey({ sharedSet: session.domain.sharedSet, code: order.customerCode }))) messages.push({ nbr: '3', desc: `Customer ${order.customerCode} does not exist`, sev: '3', field: 'soCust' });
    for (const [field, value] of [['soOrdDate', order.orderDate], ['soDueDate', order.dueDate]] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) messages.push({ nbr: '27', desc: 'Invalid date', sev: '3', field });
    }
  }
  for (const detail of asArray(header.salesOrderDetail as Record<string, unknown>[] | undefined)) {
    const lineOp = text(detail.operation);
    const lineNo = Number(text(detail.line));
    const current = order.lines.find((l) => l.line === lineNo);
    if (!Number.isInteger(lineNo) || lineNo < 1) { messages.push({ nbr: '1001', desc: 'Line must be a positive whole number', sev: '3', field: 'line' }); continue; }
    if (lineOp === 'A' && current) { messages.push({ nbr: '1210', desc: `Line ${lineNo} already exists`, sev: '3', field: 'line', keys: `${number}.${lineNo}` }); continue; }
    if (lineOp === 'M' && !current) { messages.push({ nbr: '1211', desc: `Line ${lineNo} does not exist`, sev: '3', field: 'line', keys: `${number}.${lineNo}` }); continue; }
    const item = state.items.get(itemKey({ domain: order.domain, itemCode: text(detail.sodPart) || current?.itemCode || '' }));
    if (!item) { messages.push({ nbr: '16', desc: `Item ${text(detail.sodPart)} does not exist`, sev: '3', field: 'sodPart', keys: `${number}.${lineNo}` }); continue; }
    const line: OrderLineRecord = current ?? { line: lineNo, itemCode: item.itemCode, site: order.site, quantity: 0, listPrice: item.listPrice, netPrice: item.listPrice, dueDate: order.dueDate, unitOfMeasure: item.unitOfMeasure };
    if (text(detail.sodSite)) line.site = text(detail.sodSite);
    if (text(detail.sodQtyOrd)) line.quantity = Number(text(detail.sodQtyOrd));
    if (text(detail.sodListPr)) { line.listPrice = Number(text(detail.sodListPr)); line.netPrice = line.listPrice; }
    if (text(detail.sodDueDate)) line.dueDate = text(detail.sodDueDate);
    if (!session.domain.sites.includes(line.site)) { messages.push({ nbr: '708', desc: `Site ${line.site} does not exist`, sev: '3', field: 'sodSite' }); continue; }
    if (!(line.quantity > 0)) { messages.push({ nbr: '317', desc: 'Quantity ordered must be greater than zero', sev: '3', field: 'sodQtyOrd' }); continue; }
    if (!current) order.lines.push(line);
  }
  if (messages.length > 0 && session.scopeTransaction) return fail(messages);
  order.lines.sort((a, b) => a.line - b.line);
  state.orders.set(orderKey(order), order);
  return answer(operation, messages.length > 0 ? 'error' : 'success', messages, relatesTo, 'qxtendMaintain', undefined, true);
}
