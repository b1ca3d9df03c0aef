export { startPubSubBus } from './bus.js';
export type { BusOrg, PubSubBus, PubSubBusControl, PubSubBusCounters, PubSubBusDescription, PubSubBusOptions } from './bus.js';
export { ALL_CHANGE_EVENTS_TOPIC, changeEventTopic, platformEventTopic } from './topicCatalog.js';
