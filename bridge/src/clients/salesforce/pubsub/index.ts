export { PubSubConsumer, DEFAULT_RECONNECT_POLICY } from './consumer.js';
export { decodeFieldBitmaps, type BitmapField } from './bitmap.js';
export * from './errors.js';
export type * from './types.js';
