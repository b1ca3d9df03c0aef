import { checkbox, dateTime, externalKey, longText, lookup, number, picklist, text } from './fields.js';
import type { FieldDef, ObjectDef } from './types.js';

/** the package's restricted picklist of Sync_Bridge_Status__c.CDC_Subscription_State__c */
const CDC_SUBSCRIPTION_STATES = ['Subscribed', 'Connecting', 'Catching Up', 'Refused', 'Not Used'] as const;

/**
 * What the package (force-app) adds, exactly as CONTRACTS.md §1 names it: the QAD External ID fields
 * on standard objects, the audit and status objects and the replay platform event.
 */
export const PACKAGE_FIELDS_ON_STANDARD_OBJECTS: Record<string, FieldDef[]> = {
  Account: [
    externalKey('QAD_Id__c', 'QAD Id'),
    checkbox('QAD_Is_Customer__c', 'QAD Customer'),
    checkbox('QAD_Is_Supplier__c', 'QAD Supplier'),
  ],
  Product2: [externalKey('QAD_Item_Number__c', 'QAD Item Number')],
  Contact: [externalKey('QAD_Contact_Id__c', 'QAD Contact Id')],
  Order: [externalKey('QAD_Sales_Order_Number__c', 'QAD Sales Order Number')],
};

type Shape = Omit<ObjectDef, 'childRelationships' | 'custom'>;

const nameAutoNumber = (label: string, format: string): FieldDef =>
  text('Name', label, 80, { createable: false, updateable: false, nillable: false, autoNumberFormat: format, custom: false });

export const PACKAGE_OBJECTS: Shape[] = [
  {
    name: 'Sync_Audit__c',
    label: 'Sync Audit',
    labelPlural: 'Sync Audits',
    keyPrefix: 'a01',
    fields: [
      nameAutoNumber('Sync Audit Number', 'SA-{00000000}'),
      externalKey('Bridge_Event_Id__c', 'Bridge Event Id'),
      text('Connection_Id__c', 'Connection Id', 80),
      picklist('Direction__c', 'Direction', ['QAD to Salesforce', 'Salesforce to QAD']),
      picklist('Object__c', 'Object', ['Account', 'Contact', 'Product2', 'Order']),
      picklist('Operation__c', 'Operation', ['Create', 'Update', 'Upsert', 'Delete']),
      picklist('Status__c', 'Status', ['Succeeded', 'Failed', 'Retrying', 'Waiting', 'Skipped', 'Replay Requested', 'Replayed']),
      text('Source_Id__c', 'Source Id', 255),
      text('Target_Id__c', 'Target Id', 255),
      text('Salesforce_Record_Id__c', 'Salesforce Record Id', 18),
      text('Correlation_Id__c', 'Correlation Id', 80),
      number('Attempt__c', 'Attempt', 4, 0),
      text('Error_Code__c', 'Error Code', 80),
      longText('Error_Message__c', 'Error Message', 32768),
      longText('Payload__c', 'Payload', 131072),
      text('Payload_Hash__c', 'Payload Hash', 64),
      dateTime('Occurred_At__c', 'Occurred At'),
      lookup('Replay_Of__c', 'Replay Of', 'Sync_Audit__c', 'Replay_Of__r'),
      lookup('Requested_By__c', 'Requested By', 'User', 'Requested_By__r'),
      dateTime('Requested_At__c', 'Requested At'),
    ],
  },
  {
    name: 'Sync_Bridge_Status__c',
    label: 'Sync Bridge Status',
    labelPlural: 'Sync Bridge Statuses',
    keyPrefix: 'a02',
    fields: [
      nameAutoNumber('Bridge Status Number', 'BS-{0000}'),
      externalKey('Connection_Id__c', 'Connection Id'),
      picklist('Status__c', 'Status', ['Running', 'Degraded', 'Stopped']),
      dateTime('Last_Heartbeat__c', 'Last Heartbeat'),
      dateTime('Last_QAD_Poll__c', 'Last QAD Poll'),
      text('CDC_Replay_Position__c', 'CDC Replay Position', 255),
      dateTime('CDC_Last_Event_At__c', 'CDC Last Event At'),
      number('API_Requests_Used__c', 'API Requests Used', 12, 0),
      number('API_Requests_Max__c', 'API Requests Max', 12, 0),
      longText('Last_Error__c', 'Last Error', 32768),
      text('Bridge_Version__c', 'Bridge Version', 40),
      picklist('CDC_Subscription_State__c', 'CDC Subscription State', [...CDC_SUBSCRIPTION_STATES]),
    ],
  },
  {
    name: 'Sync_Replay_Request__e',
    label: 'Sync Replay Request',
    labelPlural: 'Sync Replay Requests',
    keyPrefix: 'e01',
    isEvent: true,
    fields: [
      text('Audit_Event_Id__c', 'Audit Event Id', 80),
      text('Audit_Record_Id__c', 'Audit Record Id', 18),
      text('Requested_By__c', 'Requested By', 18),
    ],
  },
];
