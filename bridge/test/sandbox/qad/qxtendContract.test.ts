import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedQadTenant, type SimulatedQadTenant } from '../../../sandbox/qad/index.js';

let tenant: SimulatedQadTenant;
const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, isArray: (name) => ['temp_err_msg', 'customer', 'salesOrder', 'salesOrderDetail'].includes(name) });

function envelope(operation: string, inner: string, session: Record<string, string> = {}, receiver = 'QADERP'): string {
  const context = { domain: '10USA', version: 'ERP3_2', username: tenant.description.username, password: tenant.description.password, scopeTransaction: 'true', ...session };
  const rows = Object.entries(context)
    .map(([k, v]) => `<qcom:ttContext><qcom:propertyQualifier>QAD</qcom:propertyQualifier><qcom:propertyName>${k}</qcom:propertyName><qcom:propertyValue>${v}</qcom:propertyValue></qcom:ttContext>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:qdoc="urn:schemas-qad-com:xml-services" xmlns:qcom="urn:schemas-qad-com:xml-services:common" xmlns:wsa="http://www.w3.org/2005/08/addressing">
<soapenv:Header><wsa:Action/><wsa:To>urn:services-qad-com:${receiver}</wsa:To><wsa:MessageID>urn:services-qad-com::test-1</wsa:MessageID></soapenv:Header>
<soapenv:Body><qdoc:${operation}><qcom:dsSessionContext>${rows}</qcom:dsSessionContext>${inner}</qdoc:${operation}></soapenv:Body></soapenv:Envelope>`;
}

async function soap(xml: string): Promise<{ status: number; body: any }> {
  const res = await fetch(tenant.qxtendUrl, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '' }, body: xml });
  return { status: res.status, body: parser.parse(await res.text()).Envelope.Body };
}

const query = (profile: string, filter: string, maxRows: number) =>
  `<qdoc:dsQueryServiceRequest><qdoc:QueryServiceRequest><qdoc:SourceApplication>test</qdoc:SourceApplication><qdoc:Profile>${profile}</qdoc:Profile><qdoc:Filter>${filter}</qdoc:Filter><qdoc:MaxRows>${maxRows}</qdoc:MaxRows><qdoc:IgnoreBOFilter>false</qdoc:IgnoreBOFilter><qdoc:IgnoreBOInnerJoin>false</qdoc:IgnoreBOInnerJoin></qdoc:QueryServiceRequest></qdoc:dsQueryServiceRequest>`;

beforeAll(async () => {
  tenant = await startSimulatedQadTenant({ port: 0 });
});
afterAll(async () => tenant.close());

describe('simulated QAD tenant: QXtend QdocWebService over HTTP (facts §4)', () => {
  it('answers the Query Service with result, dsExceptions and rows filtered on the primary table, MaxRows at a time', async () => {
    const r = await soap(envelope('queryQryCustomer', query('QryCustomer', 'cm_addr &gt; "10C1001"', 2)));
    expect(r.status).toBe(200);
    const answer = r.body.queryQryCustomerResponse;
    expect(answer.result).toBe('success');
    expect(answer.dsExceptions).toBeDefined();
    expect(answer.dsQueryServiceResponse.customer.map((c: any) => c.cmAddr)).toEqual(['10C1002', '10C1003']);
    expect(answer.dsQueryServiceResponse.customer[0]).toMatchObject({ adName: 'Cedar Medical Devices', cmCurr: 'USD', cmActive: 'true' });
    const badColumn = await soap(envelope('queryQryCustomer', query('QryCustomer', 'ad_name = "x"', 2)));
    expect(badColumn.body.queryQryCustomerResponse.result).toBe('error');
    expect(badColumn.body.queryQryCustomerResponse.dsExceptions.temp_err_msg[0]).toMatchObject({ tt_msg_field: 'Filter', tt_msg_sev: '3' });
  });

  it('maintains customers with result success, or error with temp_err_msg rows naming the field', async () => {
    const ok = await soap(envelope('maintainCustomer', '<qdoc:dsCustomer><qdoc:customer><qdoc:operation>M</qdoc:operation><qdoc:cmAddr>10C1001</qdoc:cmAddr><qdoc:adCity>Salem</qdoc:adCity></qdoc:customer></qdoc:dsCustomer>'));
    expect(ok.body.maintainCustomerResponse.result).toBe('success');
    expect(tenant.state.customers.get('US-SET|10C1001')?.city).toBe('Salem');
    const bad = await soap(envelope('maintainCustomer', `<qdoc:dsCustomer><qdoc:customer><qdoc:operation>M</qdoc:operation><qdoc:cmAddr>10C1001</qdoc:cmAddr><qdoc:adName>${'y'.repeat(40)}</qdoc:adName></qdoc:customer></qdoc:dsCustomer>`));
    const row = bad.body.maintainCustomerResponse.dsExceptions.temp_err_msg[0];
    expect(bad.body.maintainCustomerResponse.result).toBe('error');
    expect(Object.keys(row)).toEqual(expect.arrayContaining(['tt_msg_nbr', 'tt_msg_desc', 'tt_msg_sev', 'tt_msg_field', 'tt_msg_context', 'tt_msg_data', 'tt_msg_keys', 'tt_msg_datetime', 'tt_msg_processed', 'tt_level', 'tt_msg_index']));
    expect(row).toMatchObject({ tt_msg_field: 'adName', tt_msg_sev: '3' });
    const missing = await soap(envelope('maintainSupplier', '<qdoc:dsSupplier><qdoc:supplier><qdoc:operation>M</qdoc:operation><qdoc:vdAddr>NOPE</qdoc:vdAddr></qdoc:supplier></qdoc:dsSupplier>'));
    expect(missing.body.maintainSupplierResponse.result).toBe('error');
  });

  it('maintains a sales order with detail lines; A on an existing order or line is an error and nothing is half-applied', async () => {
    const order = (headerOp: string, lines: string) =>
      `<qdoc:dsSalesOrder><qdoc:salesOrder><qdoc:operation>${headerOp}</qdoc:operation><qdoc:soNbr>Q0001</qdoc:soNbr><qdoc:soCust>10C1000</qdoc:soCust><qdoc:soPo>PO-1</qdoc:soPo><qdoc:soOrdDate>2026-02-01</qdoc:soOrdDate><qdoc:soDueDate>2026-02-10</qdoc:soDueDate>${lines}</qdoc:salesOrder></qdoc:dsSalesOrder>`;
    const line = (op: string, n: number, part: string) => `<qdoc:salesOrderDetail><qdoc:operation>${op}</qdoc:operation><qdoc:line>${n}</qdoc:line><qdoc:sodPart>${part}</qdoc:sodPart><qdoc:sodSite>10-100</qdoc:sodSite><qdoc:sodQtyOrd>2</qdoc:sodQtyOrd></qdoc:salesOrderDetail>`;
    const created = await soap(envelope('maintainSalesOrder', order('A', line('A', 1, '10-1000') + line('A', 2, '10-1001'))));
    expect(created.body.maintainSalesOrderResponse.result).toBe('success');
    const again = await soap(envelope('maintainSalesOrder', order('A', '')));
    expect(again.body.maintainSalesOrderResponse.result).toBe('error');
    const mixed = await soap(envelope('maintainSalesOrder', order('M', line('A', 3, '10-2000') + line('A', 1, '10-1000'))));
    expect(mixed.body.maintainSalesOrderResponse.dsExceptions.temp_err_msg[0]).toMatchObject({ tt_msg_field: 'line', tt_msg_nbr: '1210' });
    expect(tenant.control.orders('10USA').find((o) => o.orderNumber === 'Q0001')?.lines.map((l) => l.line)).toEqual([1, 2]);
    const read = await soap(envelope('queryQrySalesOrder', query('QrySalesOrder', 'so_nbr = "Q0001"', 1)));
    expect(read.body.queryQrySalesOrderResponse.dsQueryServiceResponse.salesOrder[0].salesOrderDetail).toHaveLength(2);
  });

  it('reports session and addressing problems as SOAP faults', async () => {
    const wrongPassword = await soap(envelope('queryQryItem', query('QryItem', '', 5), { password: 'nope' }));
    expect(wrongPassword.status).toBe(500);
    expect(wrongPassword.body.Fault.faultstring).toMatch(/session/);
    const wrongReceiver = await soap(envelope('queryQryItem', query('QryItem', '', 5), {}, 'OTHER'));
    expect(wrongReceiver.body.Fault.faultstring).toMatch(/receiver/);
    const wrongVersion = await soap(envelope('queryQryItem', query('QryItem', '', 5), { version: 'eB_1' }));
    expect(wrongVersion.body.Fault.faultstring).toMatch(/not enabled/);
  });
});
