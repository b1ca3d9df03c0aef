/**
 * Turns whatever a failed Apex call, wire adapter or UI API request hands a component into a flat
 * list of readable messages, so every component shows failures the same way (through errorPanel).
 *
 * Shapes handled, as the platform produces them:
 * - JavaScript Error: { message }
 * - Apex / AuraHandledException: { body: { message } }
 * - UI API batch: { body: [{ message }] }
 * - DML errors: { body: { pageErrors: [{ message }], fieldErrors: { Field: [{ message }] } } }
 * - network / HTTP failure without a body: { statusText }
 *
 * @param {unknown|unknown[]} errors one error or a list of them (null entries are ignored)
 * @return {string[]} unique, non-empty messages in the order they were found
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    const messages = list.filter((error) => error !== null && error !== undefined).flatMap(messagesOf);
    return [...new Set(messages.filter((message) => typeof message === 'string' && message.trim() !== ''))];
}

function messagesOf(error) {
    if (typeof error === 'string') {
        return [error];
    }
    const body = error.body;
    if (Array.isArray(body)) {
        return body.map((entry) => entry?.message);
    }
    if (body && typeof body === 'object') {
        const fromBody = [
            ...(body.pageErrors ?? []).map((entry) => entry.message),
            ...Object.values(body.fieldErrors ?? {}).flatMap((entries) => entries.map((entry) => entry.message)),
        ];
        if (typeof body.message === 'string') {
            fromBody.unshift(body.message);
        }
        if (fromBody.length > 0) {
            return fromBody;
        }
    }
    if (typeof error.message === 'string') {
        return [error.message];
    }
    return [error.statusText];
}
