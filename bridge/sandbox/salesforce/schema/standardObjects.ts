import { addressFields, checkbox, currency, date, email, longText, lookup, number, phone, picklist, text, url } from './fields.js';
import type { FieldDef, ObjectDef } from './types.js';

/**
 * The standard objects a QAD connector touches, with the fields it reads or writes. Names, types,
 * lengths and key prefixes follow the Salesforce object reference.
 */
type Shape = Omit<ObjectDef, 'fields' | 'childRelationships' | 'custom'> & { fields: FieldDef[] };

const readOnly = { createable: false, updateable: false };

export const STANDARD_OBJECTS: Shape[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    fields: [
      text('Username', 'Username', 80, { nillable: false, required: true, unique: true }),
      text('Name', 'Full Name', 121, { ...readOnly, calculated: true }),
      text('FirstName', 'First Name', 40, { compoundFieldName: 'Name' }),
      text('LastName', 'Last Name', 80, { nillable: false, required: true, compoundFieldName: 'Name' }),
      email('Email', 'Email'),
      text('Alias', 'Alias', 8),
      checkbox('IsActive', 'Active', true),
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    fields: [
      text('Name', 'Account Name', 255, { nillable: false, required: true }),
      text('AccountNumber', 'Account Number', 40),
      ...addressFields('Billing'),
      ...addressFields('Shipping'),
      phone('Phone', 'Account Phone'),
      url('Website', 'Website'),
      picklist('Type', 'Account Type', ['Customer', 'Supplier', 'Partner', 'Other'], { restrictedPicklist: false }),
      longText('Description', 'Account Description', 32000),
      lookup('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false }),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    fields: [
      lookup('AccountId', 'Account ID', 'Account', 'Account'),
      text('Name', 'Full Name', 121, { ...readOnly, calculated: true }),
      text('FirstName', 'First Name', 40, { compoundFieldName: 'Name' }),
      text('LastName', 'Last Name', 80, { nillable: false, required: true, compoundFieldName: 'Name' }),
      email('Email', 'Email'),
      phone('Phone', 'Business Phone'),
      text('Title', 'Title', 128),
      lookup('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false }),
    ],
  },
  {
    name: 'Product2',
    label: 'Product',
    labelPlural: 'Products',
    keyPrefix: '01t',
    fields: [
      text('Name', 'Product Name', 255, { nillable: false, required: true }),
      text('ProductCode', 'Product Code', 255),
      longText('Description', 'Product Description', 4000),
      checkbox('IsActive', 'Active', false),
      picklist('Family', 'Product Family', ['None'], { restrictedPicklist: false }),
      picklist('QuantityUnitOfMeasure', 'Quantity Unit Of Measure', ['Each'], { restrictedPicklist: false }),
    ],
  },
  {
    name: 'Pricebook2',
    label: 'Price Book',
    labelPlural: 'Price Books',
    keyPrefix: '01s',
    fields: [
      text('Name', 'Price Book Name', 255, { nillable: false, required: true }),
      checkbox('IsActive', 'Active', false),
      checkbox('IsStandard', 'Is Standard Price Book', false),
      longText('Description', 'Description', 255),
    ],
  },
  {
    name: 'PricebookEntry',
    label: 'Price Book Entry',
    labelPlural: 'Price Book Entries',
    keyPrefix: '01u',
    fields: [
      text('Name', 'Product Name', 255, { ...readOnly, calculated: true }),
      lookup('Pricebook2Id', 'Price Book ID', 'Pricebook2', 'Pricebook2', { nillable: false, required: true, updateable: false }),
      lookup('Product2Id', 'Product ID', 'Product2', 'Product2', { nillable: false, required: true, updateable: false }),
      currency('UnitPrice', 'List Price', { nillable: false, required: true }),
      checkbox('IsActive', 'Active', false),
      checkbox('UseStandardPrice', 'Use Standard Price', false),
      text('ProductCode', 'Product Code', 255, { ...readOnly, calculated: true }),
    ],
  },
  {
    name: 'Order',
    label: 'Order',
    labelPlural: 'Orders',
    keyPrefix: '801',
    fields: [
      lookup('AccountId', 'Account ID', 'Account', 'Account', { required: true }),
      date('EffectiveDate', 'Order Start Date', { nillable: false, required: true }),
      date('EndDate', 'Order End Date'),
      picklist('Status', 'Status', ['Draft', 'Activated'], { nillable: false, required: true }),
      picklist('StatusCode', 'Status Category', ['Draft', 'Activated'], { ...readOnly, calculated: true }),
      lookup('Pricebook2Id', 'Price Book ID', 'Pricebook2', 'Pricebook2'),
      text('OrderNumber', 'Order Number', 30, { ...readOnly, nillable: false, autoNumberFormat: '{00000000}' }),
      currency('TotalAmount', 'Order Amount', { ...readOnly, calculated: true }),
      longText('Description', 'Description', 32000),
      text('PoNumber', 'PO Number', 80),
      date('PoDate', 'PO Date'),
      lookup('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false }),
    ],
  },
  {
    name: 'OrderItem',
    label: 'Order Product',
    labelPlural: 'Order Products',
    keyPrefix: '802',
    fields: [
      lookup('OrderId', 'Order ID', 'Order', 'Order', { nillable: false, required: true, updateable: false }),
      lookup('PricebookEntryId', 'Price Book Entry ID', 'PricebookEntry', 'PricebookEntry', { nillable: false, required: true, updateable: false }),
      lookup('Product2Id', 'Product ID', 'Product2', 'Product2', { updateable: false }),
      number('Quantity', 'Quantity', 18, 2, { nillable: false, required: true }),
      currency('UnitPrice', 'Unit Price', { nillable: false, required: true }),
      currency('ListPrice', 'List Price', { ...readOnly, calculated: true }),
      currency('TotalPrice', 'Total Price', { ...readOnly, calculated: true }),
      date('ServiceDate', 'Start Date'),
      date('EndDate', 'End Date'),
      text('OrderItemNumber', 'Order Product Number', 30, { ...readOnly, nillable: false, autoNumberFormat: '{0000000000}' }),
      longText('Description', 'Line Description', 255),
    ],
  },
];
