import { Type, type Static } from '@sinclair/typebox';
import { Email, Locale, Ok, Page, PageQuery, PersonName, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';

/** Data regions an organization's data may live in, with the jurisdiction each belongs to. */
export const DATA_REGIONS = {
  'eu-central': { jurisdiction: 'eu', label: 'EU Central (Frankfurt, Warsaw)' },
  'eu-west': { jurisdiction: 'eu', label: 'EU West (Strasbourg)' },
  'uk-south': { jurisdiction: 'uk', label: 'UK South (London)' },
  'us-east': { jurisdiction: 'us', label: 'US East' },
} as const;
/** A data region name. */
export type DataRegionName = keyof typeof DATA_REGIONS;
/** A data region name. */
export const DataRegion = Type.Union(
  (Object.keys(DATA_REGIONS) as DataRegionName[]).map((r) => Type.Literal(r)),
  { description: 'Where the organization\'s data lives' },
);

/** Roles inside an organization, weakest first. */
export const ORG_ROLES = ['host', 'admin', 'owner'] as const;
/** A role inside an organization. */
export type OrgRole = (typeof ORG_ROLES)[number];
/** A role inside an organization. */
export const OrgRole = Type.Union(ORG_ROLES.map((r) => Type.Literal(r)));
/** True when `have` is at least as strong as `need`. */
export function roleAtLeast(have: OrgRole, need: OrgRole): boolean {
  return ORG_ROLES.indexOf(have) >= ORG_ROLES.indexOf(need);
}

export const OrgParams = Type.Object({ orgId: IdSchema('org') });

export const Org = Type.Object({
  id: IdSchema('org'),
  name: Type.String(),
  slug: Type.String(),
  dataRegion: DataRegion,
  createdAt: Timestamp,
});
export type Org = Static<typeof Org>;

export const Slug = Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$', description: 'lower-case letters, digits and dashes' });

export const CreateOrgBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  slug: Type.Optional(Slug),
  dataRegion: DataRegion,
});
export type CreateOrgBody = Static<typeof CreateOrgBody>;

export const UpdateOrgBody = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) });
export type UpdateOrgBody = Static<typeof UpdateOrgBody>;

export const Member = Type.Object({
  userId: IdSchema('user'),
  email: Type.String(),
  name: Type.String(),
  role: OrgRole,
  joinedAt: Timestamp,
});
export type Member = Static<typeof Member>;

export const MemberParams = Type.Object({ orgId: IdSchema('org'), userId: IdSchema('user') });
export const UpdateMemberBody = Type.Object({ role: OrgRole });
export type UpdateMemberBody = Static<typeof UpdateMemberBody>;

export const Invitation = Type.Object({
  id: IdSchema('invitation'),
  email: Type.String(),
  role: OrgRole,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Invitation = Static<typeof Invitation>;

export const CreateInvitationBody = Type.Object({ email: Email, role: OrgRole });
export type CreateInvitationBody = Static<typeof CreateInvitationBody>;
export const InvitationParams = Type.Object({ orgId: IdSchema('org'), invitationId: IdSchema('invitation') });

export const InvitationToken = Type.String({ minLength: 10, maxLength: 200 });
export const InvitationPreviewQuery = Type.Object({ token: InvitationToken });
export const InvitationPreview = Type.Object({
  orgName: Type.String(),
  email: Type.String(),
  role: OrgRole,
  accountExists: Type.Boolean(),
});
export type InvitationPreview = Static<typeof InvitationPreview>;

/** Accept an invitation: signed in, or creating the account for the invited email with name and password. */
export const AcceptInvitationBody = Type.Object({
  token: InvitationToken,
  name: Type.Optional(PersonName),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  locale: Type.Optional(Locale),
});
export type AcceptInvitationBody = Static<typeof AcceptInvitationBody>;

export const ApiKey = Type.Object({
  id: IdSchema('apiKey'),
  name: Type.String(),
  /** First characters of the secret, to recognise a key without revealing it. */
  prefix: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export type ApiKey = Static<typeof ApiKey>;
export const CreateApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;
/** A new API key: the secret is shown this once and stored only as a hash. */
export const CreatedApiKey = Type.Object({ apiKey: ApiKey, secret: Type.String() });
export type CreatedApiKey = Static<typeof CreatedApiKey>;
export const ApiKeyParams = Type.Object({ orgId: IdSchema('org'), apiKeyId: IdSchema('apiKey') });

export const createOrg = defineRoute({
  id: 'orgs.create', method: 'POST', path: '/api/v1/orgs', tag: 'Organizations', access: 'user',
  summary: 'Create an organization; you become its owner', body: CreateOrgBody, response: Org, successStatus: 201,
});
export const getOrg = defineRoute({
  id: 'orgs.get', method: 'GET', path: '/api/v1/orgs/:orgId', tag: 'Organizations', access: 'org:host',
  summary: 'An organization', params: OrgParams, response: Org,
});
export const updateOrg = defineRoute({
  id: 'orgs.update', method: 'PATCH', path: '/api/v1/orgs/:orgId', tag: 'Organizations', access: 'org:admin',
  summary: 'Rename an organization (its data region is fixed at creation)', params: OrgParams, body: UpdateOrgBody, response: Org,
});
export const listMembers = defineRoute({
  id: 'members.list', method: 'GET', path: '/api/v1/orgs/:orgId/members', tag: 'Members', access: 'org:host',
  summary: 'Members of an organization', params: OrgParams, query: PageQuery, response: Page(Member),
});
export const updateMember = defineRoute({
  id: 'members.update', method: 'PATCH', path: '/api/v1/orgs/:orgId/members/:userId', tag: 'Members', access: 'org:admin',
  summary: 'Change a member\'s role (only owners grant or remove owner)', params: MemberParams, body: UpdateMemberBody, response: Member,
});
export const removeMember = defineRoute({
  id: 'members.remove', method: 'DELETE', path: '/api/v1/orgs/:orgId/members/:userId', tag: 'Members', access: 'org:admin',
  summary: 'Remove a member (the last owner cannot be removed)', params: MemberParams, response: Ok,
});
export const listInvitations = defineRoute({
  id: 'invitations.list', method: 'GET', path: '/api/v1/orgs/:orgId/invitations', tag: 'Members', access: 'org:admin',
  summary: 'Pending and accepted invitations', params: OrgParams, query: PageQuery, response: Page(Invitation),
});
export const createInvitation = defineRoute({
  id: 'invitations.create', method: 'POST', path: '/api/v1/orgs/:orgId/invitations', tag: 'Members', access: 'org:admin',
  summary: 'Invite a person by email (they receive a link valid for 7 days)', params: OrgParams, body: CreateInvitationBody, response: Invitation, successStatus: 201,
});
export const revokeInvitation = defineRoute({
  id: 'invitations.revoke', method: 'DELETE', path: '/api/v1/orgs/:orgId/invitations/:invitationId', tag: 'Members', access: 'org:admin',
  summary: 'Withdraw a pending invitation', params: InvitationParams, response: Ok,
});
export const previewInvitation = defineRoute({
  id: 'invitations.preview', method: 'GET', path: '/api/v1/invitations/preview', tag: 'Members', access: 'public', rateLimited: true,
  summary: 'What an invitation link offers', query: InvitationPreviewQuery, response: InvitationPreview,
});
export const listApiKeys = defineRoute({
  id: 'apiKeys.list', method: 'GET', path: '/api/v1/orgs/:orgId/api-keys', tag: 'API keys', access: 'org:admin',
  summary: 'API keys of an organization', params: OrgParams, query: PageQuery, response: Page(ApiKey),
});
export const createApiKey = defineRoute({
  id: 'apiKeys.create', method: 'POST', path: '/api/v1/orgs/:orgId/api-keys', tag: 'API keys', access: 'org:admin',
  summary: 'Create an API key (the secret is returned once)', params: OrgParams, body: CreateApiKeyBody, response: CreatedApiKey, successStatus: 201,
});
export const revokeApiKey = defineRoute({
  id: 'apiKeys.revoke', method: 'DELETE', path: '/api/v1/orgs/:orgId/api-keys/:apiKeyId', tag: 'API keys', access: 'org:admin',
  summary: 'Revoke an API key at once', params: ApiKeyParams, response: Ok,
});
