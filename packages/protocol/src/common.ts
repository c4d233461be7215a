import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Query parameters of every list endpoint: cursor pagination. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page (1-200).' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The `nextCursor` of the previous page.' })),
});
/** Query parameters of every list endpoint. */
export type PageQuery = Static<typeof PageQuery>;

/** A page of items with the cursor of the next page (null on the last page). */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}
/** A page of items. */
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/** An ISO 8601 timestamp with time zone. */
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601 timestamp' });

/** An email address (lower-cased and trimmed by the server before use). */
export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });

/** A person's display name. */
export const PersonName = Type.String({ minLength: 1, maxLength: 120 });

/** Languages the app is translated into. */
export const Locale = Type.Union([Type.Literal('en'), Type.Literal('de'), Type.Literal('pl'), Type.Literal('fr')]);
/** Languages the app is translated into. */
export type Locale = Static<typeof Locale>;
/** Languages the app is translated into, as a list. */
export const LOCALES: readonly Locale[] = ['en', 'de', 'pl', 'fr'];

/** Body of responses that only acknowledge. */
export const Ok = Type.Object({ ok: Type.Literal(true) });
