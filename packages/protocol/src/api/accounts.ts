import { Type, type Static } from '@sinclair/typebox';
import { Email, Locale, Ok, PersonName } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';
import { AcceptInvitationBody, DataRegion, OrgRole } from './orgs';

/** A password as typed by the person (checked for strength by the server). */
export const Password = Type.String({ minLength: 1, maxLength: 200 });

/** The signed-in person. */
export const User = Type.Object({
  id: IdSchema('user'),
  email: Type.String(),
  name: Type.String(),
  locale: Type.Union([Locale, Type.Null()]),
  isInstanceAdmin: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

/** One organization the signed-in person belongs to. */
export const MembershipSummary = Type.Object({
  orgId: IdSchema('org'),
  orgName: Type.String(),
  orgSlug: Type.String(),
  dataRegion: DataRegion,
  role: OrgRole,
});
export type MembershipSummary = Static<typeof MembershipSummary>;

/** Who is signed in, and where they belong. */
export const Me = Type.Object({
  user: User,
  memberships: Type.Array(MembershipSummary),
  /** Echo of the CSRF token the browser must send back in `x-csrf-token` on writes. */
  csrfToken: Type.String(),
});
export type Me = Static<typeof Me>;

export const SignUpBody = Type.Object({
  email: Email,
  password: Password,
  name: PersonName,
  locale: Type.Optional(Locale),
});
export type SignUpBody = Static<typeof SignUpBody>;

export const SignInBody = Type.Object({ email: Email, password: Password });
export type SignInBody = Static<typeof SignInBody>;

export const UpdateMeBody = Type.Object({
  name: Type.Optional(PersonName),
  locale: Type.Optional(Locale),
});
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const PasswordResetRequestBody = Type.Object({ email: Email });
export type PasswordResetRequestBody = Static<typeof PasswordResetRequestBody>;

export const PasswordResetConfirmBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  password: Password,
});
export type PasswordResetConfirmBody = Static<typeof PasswordResetConfirmBody>;

/** Whether this installation still needs its first organization and owner. */
export const SetupStatus = Type.Object({ needsSetup: Type.Boolean() });
export type SetupStatus = Static<typeof SetupStatus>;

/** Creates the first organization and its owner (who becomes the instance admin). */
export const SetupBody = Type.Object({
  email: Email,
  password: Password,
  name: PersonName,
  orgName: Type.String({ minLength: 1, maxLength: 120 }),
  dataRegion: DataRegion,
  locale: Type.Optional(Locale),
});
export type SetupBody = Static<typeof SetupBody>;

export const setupStatus = defineRoute({
  id: 'setup.status', method: 'GET', path: '/api/v1/setup', tag: 'Setup', access: 'public',
  summary: 'Tell whether the first organization and owner still need to be created',
  response: SetupStatus,
});
export const setupCreate = defineRoute({
  id: 'setup.create', method: 'POST', path: '/api/v1/setup', tag: 'Setup', access: 'public', rateLimited: true,
  summary: 'Create the first organization and its owner; signs the owner in',
  body: SetupBody, response: Me, successStatus: 201,
});
export const signUp = defineRoute({
  id: 'auth.signUp', method: 'POST', path: '/api/v1/auth/sign-up', tag: 'Auth', access: 'public', rateLimited: true,
  summary: 'Create an account with email and password; signs in',
  body: SignUpBody, response: Me, successStatus: 201,
});
export const signIn = defineRoute({
  id: 'auth.signIn', method: 'POST', path: '/api/v1/auth/sign-in', tag: 'Auth', access: 'public', rateLimited: true,
  summary: 'Sign in with email and password (sets the session cookie)',
  body: SignInBody, response: Me,
});
export const signOut = defineRoute({
  id: 'auth.signOut', method: 'POST', path: '/api/v1/auth/sign-out', tag: 'Auth', access: 'user',
  summary: 'Sign out (ends the session)', response: Ok,
});
export const getMe = defineRoute({
  id: 'auth.me', method: 'GET', path: '/api/v1/auth/me', tag: 'Auth', access: 'user',
  summary: 'The signed-in person and their organizations', response: Me,
});
export const updateMe = defineRoute({
  id: 'auth.updateMe', method: 'PATCH', path: '/api/v1/auth/me', tag: 'Auth', access: 'user',
  summary: 'Change your name or language', body: UpdateMeBody, response: Me,
});
export const requestPasswordReset = defineRoute({
  id: 'auth.requestPasswordReset', method: 'POST', path: '/api/v1/auth/password-reset', tag: 'Auth', access: 'public', rateLimited: true,
  summary: 'Email a password-reset link (answers the same whether or not the account exists)',
  body: PasswordResetRequestBody, response: Ok, successStatus: 202,
});
export const confirmPasswordReset = defineRoute({
  id: 'auth.confirmPasswordReset', method: 'POST', path: '/api/v1/auth/password-reset/confirm', tag: 'Auth', access: 'public', rateLimited: true,
  summary: 'Set a new password with the emailed token; ends all other sessions',
  body: PasswordResetConfirmBody, response: Ok,
});
export const acceptInvitation = defineRoute({
  id: 'invitations.accept', method: 'POST', path: '/api/v1/invitations/accept', tag: 'Members', access: 'public', rateLimited: true,
  summary: 'Accept an invitation (signed in, or creating the account for the invited email); signs in',
  body: AcceptInvitationBody, response: Me,
});
