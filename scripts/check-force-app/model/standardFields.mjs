// Standard objects and the standard fields this package names (LWC schema imports, permission
// set grants). Kept explicit on purpose: the checker has no org to describe, so a standard name it
// does not know is reported and added here deliberately, instead of being waved through.
export const STANDARD_FIELDS = {
    Account: ['Id', 'Name', 'AccountNumber', 'Phone', 'Website', 'BillingAddress', 'ShippingAddress', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry', 'ShippingStreet', 'ShippingCity', 'ShippingState', 'ShippingPostalCode', 'ShippingCountry', 'CurrencyIsoCode', 'OwnerId', 'LastModifiedDate', 'SystemModstamp'],
    Contact: ['Id', 'AccountId', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'Title', 'LastModifiedDate', 'SystemModstamp'],
    Product2: ['Id', 'Name', 'ProductCode', 'Description', 'Family', 'IsActive', 'QuantityUnitOfMeasure', 'StockKeepingUnit', 'LastModifiedDate', 'SystemModstamp'],
    Order: ['Id', 'AccountId', 'OrderNumber', 'Status', 'EffectiveDate', 'EndDate', 'PoNumber', 'Pricebook2Id', 'TotalAmount', 'CurrencyIsoCode', 'ActivatedDate', 'LastModifiedDate', 'SystemModstamp'],
    OrderItem: ['Id', 'OrderId', 'Product2Id', 'PricebookEntryId', 'Quantity', 'UnitPrice', 'ServiceDate', 'EndDate', 'LastModifiedDate', 'SystemModstamp'],
    Pricebook2: ['Id', 'Name', 'IsActive', 'IsStandard'],
    PricebookEntry: ['Id', 'Pricebook2Id', 'Product2Id', 'UnitPrice', 'IsActive', 'CurrencyIsoCode'],
    User: ['Id', 'Name', 'Username', 'Email', 'IsActive']
};

/** Fields every custom object (and custom setting) carries without a field file. */
export const CUSTOM_OBJECT_SYSTEM_FIELDS = ['Id', 'Name', 'OwnerId', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted', 'RecordTypeId'];

/** Fields every platform event and custom metadata type carries. */
export const EVENT_AND_METADATA_SYSTEM_FIELDS = ['ReplayId', 'EventUuid', 'CreatedDate', 'CreatedById', 'DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix', 'Language', 'Id'];
