export * from './common';
export * from './session';
export * from './media';
export * from './messages';
export * from './parse';
export * from './room-bus';
