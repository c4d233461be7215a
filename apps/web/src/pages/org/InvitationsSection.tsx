import { useState, type FormEvent } from 'react';
import { createInvitation, listInvitations, ORG_ROLES, revokeInvitation, type Invitation, type OrgRole } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, Badge, Button, Card, ConfirmButton, EmptyState, ErrorMessage, ListStates, Field, Pager, Select, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useCursorPager } from '../../hooks/useCursorPager';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { useSession } from '../../session';

type InvitationState = 'accepted' | 'expired' | 'pending';

/** Accepted, expired or still pending (revocable). */
function invitationState(inv: Invitation, now: number): InvitationState {
  if (inv.acceptedAt) return 'accepted';
  return Date.parse(inv.expiresAt) <= now ? 'expired' : 'pending';
}

const STATE_TONE = { accepted: 'success', expired: 'neutral', pending: 'info' } as const;

/** Admins invite people by email and withdraw pending invitations. */
export function InvitationsSection({ orgId }: { orgId: string }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const isOwner = me?.memberships.find((m) => m.orgId === orgId)?.role === 'owner';
  const pager = useCursorPager();
  const invitations = useApi(listInvitations, { params: { orgId }, query: { cursor: pager.cursor } }, [orgId, pager.cursor]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>('host');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const invite = useMutation(async () => {
    const inv = await call(createInvitation, { params: { orgId }, body: { email: email.trim(), role } });
    setSentTo(inv.email);
    setEmail('');
    pager.reset();
    invitations.reload();
  });
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const revoke = async (id: string) => {
    setRevokeError(null);
    try {
      await call(revokeInvitation, { params: { orgId, invitationId: id } });
      invitations.reload();
    } catch (err) {
      setRevokeError(err);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSentTo(null);
    void invite.run();
  };
  const now = Date.now();

  return (
    <>
      <Card title={t('members.inviteCard')}>
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={invite.error} />
          {sentTo && !invite.busy && <Alert kind="success">{t('members.inviteSent', { email: sentTo })}</Alert>}
          <div className="invite-row">
            <Field label={t('members.inviteEmail')} required>
              <TextInput type="email" autoComplete="off" required maxLength={254} placeholder="name@example.org" value={email} onChange={(e) => setEmail(e.target.value)} />
            </Field>
            <Field label={t('members.role')}>
              <Select value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
                {ORG_ROLES.map((r) => (
                  <option key={r} value={r} disabled={r === 'owner' && !isOwner}>
                    {t(`shell.role.${r}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <Button type="submit" variant="primary" busy={invite.busy} className="align-with-inputs">
              {t('members.inviteSubmit')}
            </Button>
          </div>
          <p className="field-hint" style={{ margin: 0 }}>
            {t('members.roleHelp')}
          </p>
        </form>
      </Card>
      <Card title={t('members.invitationsCard')}>
        <div className="stack">
          <ErrorMessage error={revokeError} />
          <ListStates source={invitations} empty={<EmptyState title={t('members.noInvitations')} description={t('members.noInvitationsHint')} />}>
            {(data) => (
              <div className="table-wrap table-bleed">
                <table className="table table-stack">
                  <thead>
                    <tr>
                      <th scope="col">{t('members.inviteEmail')}</th>
                      <th scope="col">{t('members.role')}</th>
                      <th scope="col">{t('members.status')}</th>
                      <th scope="col">{t('members.expires')}</th>
                      <th scope="col" className="actions">
                        <span className="sr-only">{t('members.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((inv) => {
                      const state = invitationState(inv, now);
                      return (
                        <tr key={inv.id}>
                          <td data-label={t('members.inviteEmail')} className="cell-main" style={{ overflowWrap: 'anywhere' }}>
                            {inv.email}
                          </td>
                          <td data-label={t('members.role')}>{t(`shell.role.${inv.role}`)}</td>
                          <td data-label={t('members.status')}>
                            <Badge tone={STATE_TONE[state]}>{t(`members.state.${state}`)}</Badge>
                          </td>
                          <td data-label={t('members.expires')} className="nowrap">
                            {state === 'accepted' && inv.acceptedAt ? '—' : formatDate(inv.expiresAt, locale)}
                          </td>
                          <td className="actions">
                            {state === 'pending' && (
                              <ConfirmButton confirmText={t('members.revokeConfirm')} onConfirm={() => revoke(inv.id)}>
                                {t('members.revoke')}
                              </ConfirmButton>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </ListStates>
          {invitations.data && (
            <Pager
              hasPrevious={pager.hasPrevious}
              hasNext={Boolean(invitations.data.nextCursor)}
              onPrevious={pager.previous}
              onNext={() => invitations.data?.nextCursor && pager.next(invitations.data.nextCursor)}
            />
          )}
        </div>
      </Card>
    </>
  );
}
