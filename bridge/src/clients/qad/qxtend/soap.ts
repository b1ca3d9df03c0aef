import { randomUUID } from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { QadProtocolError, QadServerError, QadSoapFaultError, QadValidationError, type QadFieldError } from '../errors.js';
import { canonicalNameOf } from '../mapping.js';
import type { QxtendProfile } from '../profile.js';
import type { Send } from '../transport.js';
import type { QadCredentials, QadWorkspace } from '../types.js';

const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  qdoc: 'urn:schemas-qad-com:xml-services',
  qcom: 'urn:schemas-qad-com:xml-services:common',
  wsa: 'http://www.w3.org/2005/08/addressing',
};

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** Writes `{a: 1, b: [{c: 2}]}` as `<qdoc:a>1</qdoc:a><qdoc:b><qdoc:c>2</qdoc:c></qdoc:b>`, keeping key order. */
function qdoc(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) out[`qdoc:${k}`] = v.map((item) => (item && typeof item === 'object' ? qdoc(item as Record<string, unknown>) : String(item)));
    else if (v && typeof v === 'object') out[`qdoc:${k}`] = qdoc(v as Record<string, unknown>);
    else out[`qdoc:${k}`] = v === null ? '' : String(v);
  }
  return out;
}

export interface QxtendAnswer {
  result: 'success' | 'warning' | 'error';
  messages: Array<Record<string, string>>;
  body: Record<string, unknown>;
}

/** One QXtend call: envelope with wsa:To and dsSessionContext, then QXtend's own success rules. */
export class QxtendCaller {
  constructor(
    private readonly url: URL,
    private readonly profile: QxtendProfile,
    private readonly workspace: QadWorkspace,
    private readonly credentials: QadCredentials,
    readonly send: Send,
  ) {}

  envelope(operation: string, content: Record<string, unknown>): string {
    const q = this.profile.qxtend;
    const context: Array<[string, string]> = [
      ['domain', this.workspace.domain],
      ['scopeTransaction', String(q.scopeTransaction)],
      ['version', q.version],
      ['mnemonicsRaw', 'false'],
      ['username', this.credentials.username ?? ''],
      ['password', this.credentials.password ?? ''],
    ];
    return builder.build({
      '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
      'soapenv:Envelope': {
        '@_xmlns:soapenv': NS.soap,
        '@_xmlns:qdoc': NS.qdoc,
        '@_xmlns:qcom': NS.qcom,
        '@_xmlns:wsa': NS.wsa,
        'soapenv:Header': {
          'wsa:Action': '',
          'wsa:To': `urn:services-qad-com:${q.receiver}`,
          'wsa:MessageID': `urn:services-qad-com::${randomUUID()}`,
          'wsa:ReferenceParameters': { 'qcom:suppressResponseDetail': 'false' },
          'wsa:ReplyTo': { 'wsa:Address': 'urn:services-qad-com:' },
        },
        'soapenv:Body': {
          [`qdoc:${operation}`]: {
            'qcom:dsSessionContext': {
              'qcom:ttContext': context.map(([name, value]) => ({ 'qcom:propertyQualifier': 'QAD', 'qcom:propertyName': name, 'qcom:propertyValue': value })),
            },
            ...qdoc(content),
          },
        },
      },
    });
  }

  async call(operation: string, content: Record<string, unknown>, options: { arrays?: string[]; idempotent?: boolean; send?: Send; fieldMap?: Readonly<Record<string, string>>; what: string }): Promise<QxtendAnswer> {
    const res = await (options.send ?? this.send)({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '', accept: 'text/xml' },
      body: this.envelope(operation, content),
      idempotent: options.idempotent ?? false,
      serverErrorIsAnswer: true,
    });
    const arrays = new Set(['temp_err_msg', ...(options.arrays ?? [])]);
    const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => arrays.has(name) });
    let doc: Record<string, any>;
    try {
      doc = parser.parse(res.text) as Record<string, any>;
    } catch (error) {
      if (res.status >= 500) throw new QadServerError(`QXtend answered HTTP ${res.status} to ${options.what}`, res.status);
      throw new QadProtocolError(`QXtend answered ${options.what} with unreadable XML`, { cause: error });
    }
    const body = doc?.Envelope?.Body as Record<string, any> | undefined;
    if (!body) {
      if (res.status >= 500) throw new QadServerError(`QXtend answered HTTP ${res.status} to ${options.what}`, res.status);
      throw new QadProtocolError(`QXtend answered ${options.what} with HTTP ${res.status} and no SOAP envelope. Fix: check the QXtend URL (…/services/QdocWebService)`);
    }
    if (body.Fault) {
      const faultString = String(body.Fault.faultstring ?? 'SOAP fault');
      // Session, receiver and API-enablement faults are configuration, not a passing hiccup.
      const config = /session|password|receiver|not enabled|not defined/i.test(faultString);
      throw new QadSoapFaultError(String(body.Fault.faultcode ?? 'soapenv:Server'), faultString, { retryable: !config, statusCode: config ? 502 : 503 });
    }
    const answer = body[`${operation}Response`] as Record<string, any> | undefined;
    if (!answer) throw new QadProtocolError(`QXtend answered ${options.what} without ${operation}Response`);
    const result = String(answer.result ?? '') as QxtendAnswer['result'];
    const messages = ((answer.dsExceptions?.temp_err_msg ?? []) as Array<Record<string, unknown>>).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'object' ? '' : String(v ?? '')])),
    );
    const ok = result === 'success' || (result === 'warning' && this.profile.qxtend.warningIsSuccess);
    if (!ok) {
      const fieldErrors: QadFieldError[] = messages
        .filter((m) => m.tt_level !== 'warning')
        .map((m) => {
          const canonical = m.tt_msg_field ? canonicalNameOf(options.fieldMap ?? {}, m.tt_msg_field) : undefined;
          return { tenantField: m.tt_msg_field ?? '', message: m.tt_msg_desc ?? 'rejected', code: m.tt_msg_nbr ?? '', value: m.tt_msg_keys, ...(canonical ? { canonicalField: canonical } : {}) };
        });
      const text = fieldErrors.map((e) => `${(e.canonicalField ?? e.tenantField) || 'record'}${e.canonicalField ? ` (QAD field ${e.tenantField})` : ''}: ${e.message}`).join('; ');
      throw new QadValidationError(`QXtend refused ${options.what}: ${text || `result ${result || '(none)'}`}`, fieldErrors);
    }
    return { result, messages, body: answer };
  }
}

/** ABL string literal for a Query Service filter. */
export function ablString(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** cm_addr -> cmAddr, the QDoc spelling of a column (facts §4.3). */
export function fieldOfColumn(column: string): string {
  return column.replace(/_([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}
