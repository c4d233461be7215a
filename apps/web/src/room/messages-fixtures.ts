// Value lists the message tests check translations for (kept beside the test, taken from the protocol).
export { REACTIONS } from '@podium/protocol';

/** Every moderation action a participant can be told about. */
export const MODERATION_ACTIONS_FOR_TEST = ['mute-audio', 'stop-video', 'stop-screen', 'remove', 'ban'] as const;
