/** Ids of the SFU's objects: short, random, prefixed by kind so logs and errors read clearly. */
import { randomBytes } from 'node:crypto';

/** Prefix per object kind. */
const PREFIX = { router: 'rtr', transport: 'trp', producer: 'prd', consumer: 'csm', pipe: 'pip', recorder: 'rcd' } as const;

/** Kinds of SFU object. */
export type MediaObjectKind = keyof typeof PREFIX;

/** A new random id of `kind` (80 bits of randomness). */
export function newMediaId(kind: MediaObjectKind): string {
  return `${PREFIX[kind]}_${randomBytes(10).toString('hex')}`;
}
