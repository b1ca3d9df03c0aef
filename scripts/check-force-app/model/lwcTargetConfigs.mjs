// The Metadata WSDL declares LightningComponentBundle.targetConfigs (and .ai) as base64Binary:
// on the wire the Metadata API carries that part of a js-meta.xml as an opaque blob, which the
// platform parses itself. In a source file it is plain XML, so the element-schema check validates
// it against this model instead. The tags and attributes are the ones the LWC guide documents
// ("XML Configuration File Elements", developer.salesforce.com/docs/platform/lwc/guide/
// reference-configuration-tags); a tag it does not list is reported, so a typo cannot hide here.

/**
 * @typedef {{children?: Record<string, TagModel>, attributes?: string[], required?: string[],
 *            values?: string[], opaque?: boolean}} TagModel
 *   children: allowed child tags; attributes: allowed attributes; required: attributes that must be
 *   present; values: allowed text; opaque: content not checked (a property's own datasource list).
 */

/** @type {TagModel} */
const PROPERTY = {
    attributes: ['name', 'type', 'label', 'description', 'default', 'required', 'min', 'max', 'placeholder', 'datasource', 'role', 'exposedTo', 'filter', 'screenResponsive'],
    required: ['name'],
    opaque: true
};

/** @type {TagModel} */
export const TARGET_CONFIGS = {
    children: {
        targetConfig: {
            attributes: ['targets', 'configurationEditor'],
            required: ['targets'],
            children: {
                property: PROPERTY,
                objects: { children: { object: {} } },
                supportedFormFactors: {
                    children: { supportedFormFactor: { attributes: ['type'], required: ['type'] } }
                },
                actionType: { values: ['Action', 'ScreenAction'] },
                propertyType: { attributes: ['name', 'extends', 'label', 'description'], opaque: true },
                event: { attributes: ['name', 'label', 'description'], opaque: true },
                sourceType: { attributes: ['name', 'itemTypeName'], required: ['name'] },
                dataSource: { opaque: true }
            }
        }
    }
};

/** @type {TagModel} the ai tag set (Setup with Agentforce, beta): kept, not checked */
export const AI = { opaque: true };
