export * from './schema.js';
export * from './compare.js';
export { mergeById, mergeFacts, canonical } from './merge.js';
export * from './ids.js';
export { emptyModel } from './empty.js';
