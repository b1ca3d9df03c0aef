/**
 * How many Pub/Sub change events the consumer decodes per second: Avro payload to a ChangeEvent
 * with its changed/nulled field bitmaps turned into names. Payloads come from the sandbox's
 * encoder with an Account-shaped schema (addresses as compound fields). Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { decodeEvent, parseEventSchema } from '../src/clients/salesforce/pubsub/decoder.js';
import { buildChangeEventSchema, encodeChangeEvent, type DescribeFieldLike } from '../sandbox/salesforce/pubsub/changeEventSchema.js';

const field = (name: string, type = 'string', compoundFieldName?: string): DescribeFieldLike => ({ name, type, ...(compoundFieldName ? { compoundFieldName } : {}) });
const address = (prefix: string): DescribeFieldLike[] => [
  ...['Street', 'City', 'State', 'PostalCode', 'Country'].map((part) => field(`${prefix}${part}`, 'string', `${prefix}Address`)),
  field(`${prefix}Address`, 'address'),
];
const describe = {
  name: 'Account',
  fields: [
    field('Id', 'id'),
    field('Name'),
    field('AccountNumber'),
    ...address('Billing'),
    ...address('Shipping'),
    field('Phone', 'phone'),
    field('Website', 'url'),
    field('Type', 'picklist'),
    field('Description', 'textarea'),
    field('OwnerId', 'reference'),
    field('QAD_Id__c'),
    field('QAD_Is_Customer__c', 'boolean'),
    field('QAD_Is_Supplier__c', 'boolean'),
    field('CreatedDate', 'datetime'),
    field('LastModifiedDate', 'datetime'),
  ],
};

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const writer = buildChangeEventSchema(describe);
const payloads: Buffer[] = [];
for (let index = 0; index < 1000; index += 1) {
  payloads.push(
    encodeChangeEvent(
      writer,
      {
        entityName: 'Account',
        recordIds: [`001${String(index).padStart(15, '0')}`],
        changeType: 'UPDATE',
        changeOrigin: 'com/salesforce/api/rest/66.0',
        transactionKey: `tx-${index}`,
        sequenceNumber: 1,
        commitTimestamp: Date.now(),
        commitNumber: 10_000_000_000_000n + BigInt(index),
        commitUser: '005000000000001AAA',
        changedFields: ['Name', 'BillingCity', 'BillingState', 'Phone', 'LastModifiedDate'],
        nulledFields: ['Website'],
        diffFields: [],
      },
      { Name: `Account ${index}`, BillingCity: 'Lyon', BillingState: 'ARA', Phone: '+33 4 00 00 00 00', LastModifiedDate: Date.now() },
    ),
  );
}
const reader = parseEventSchema(writer.schemaId, writer.schemaJson);

function run(count: number): number {
  let names = 0;
  for (let index = 0; index < count; index += 1) {
    const decoded = decodeEvent(reader, { topic: '/data/AccountChangeEvent', replayId: Buffer.alloc(12), eventId: 'e', payload: payloads[index % payloads.length] as Buffer });
    if (decoded.kind === 'change') names += decoded.change.changedFields.length;
  }
  return names;
}

run(Math.min(5000, EVENTS));
const started = performance.now();
const names = run(EVENTS);
const seconds = (performance.now() - started) / 1000;
if (names !== EVENTS * 5) throw new Error(`decoded ${names} changed-field names, expected ${EVENTS * 5}`);
console.log(
  JSON.stringify({
    benchmark: 'pubsub-decode',
    events: EVENTS,
    seconds: Number(seconds.toFixed(3)),
    eventsDecodedPerSecond: Math.round(EVENTS / seconds),
  }),
);
