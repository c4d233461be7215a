import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { listMembers, ORG_ROLES, removeMember, updateMember, type Member, type OrgRole } from '@podium/protocol';
import { call } from '../../api/client';
import { Badge, Button, Card, ConfirmButton, EmptyState, ErrorMessage, ListStates, PageHeader, Pager, Select, Spinner } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useCursorPager } from '../../hooks/useCursorPager';
import { useDocumentTitle, useOrg } from '../../hooks/useOrg';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { useSession } from '../../session';
import { InvitationsSection } from './InvitationsSection';

/** Members of the organization: roles, removal, and (for admins) invitations. */
export default function MembersPage() {
  const { t } = useI18n();
  const { orgId, membership, isAdmin } = useOrg();
  useDocumentTitle(t('members.title'));
  return (
    <>
      <PageHeader title={t('members.title')} subtitle={membership ? t('members.subtitle', { org: membership.orgName }) : undefined} />
      <MembersTable orgId={orgId} isAdmin={isAdmin} isOwner={membership?.role === 'owner'} />
      {isAdmin && <InvitationsSection orgId={orgId} />}
    </>
  );
}

function MembersTable({ orgId, isAdmin, isOwner }: { orgId: string; isAdmin: boolean; isOwner: boolean }) {
  const { t, locale } = useI18n();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const pager = useCursorPager();
  const members = useApi(listMembers, { params: { orgId }, query: { cursor: pager.cursor } }, [orgId, pager.cursor]);
  const [pending, setPending] = useState<{ userId: string; role: OrgRole } | null>(null);
  const changeRole = useMutation(async (userId: string, role: OrgRole) => {
    setPending({ userId, role });
    try {
      await call(updateMember, { params: { orgId, userId }, body: { role } });
      if (userId === me?.user.id) await refresh();
      members.reload();
    } finally {
      setPending(null);
    }
  });
  const [removeError, setRemoveError] = useState<unknown>(null);
  const remove = async (m: Member) => {
    setRemoveError(null);
    try {
      await call(removeMember, { params: { orgId, userId: m.userId } });
    } catch (err) {
      setRemoveError(err);
      return;
    }
    if (m.userId === me?.user.id) {
      await refresh();
      navigate('/', { replace: true });
    } else {
      members.reload();
    }
  };

  const roleControl = (m: Member) => {
    const value = pending?.userId === m.userId ? pending.role : m.role;
    // Only owners may grant or take away the owner role; the server enforces it, the UI just doesn't offer it.
    if (!isAdmin || (m.role === 'owner' && !isOwner)) return <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{t(`shell.role.${m.role}`)}</Badge>;
    return (
      <span className="row" style={{ flexWrap: 'nowrap' }}>
        <Select
          className="select-inline"
          aria-label={t('members.roleOf', { name: m.name })}
          value={value}
          disabled={changeRole.busy}
          onChange={(e) => void changeRole.run(m.userId, e.target.value as OrgRole)}
        >
          {ORG_ROLES.map((r) => (
            <option key={r} value={r} disabled={r === 'owner' && !isOwner}>
              {t(`shell.role.${r}`)}
            </option>
          ))}
        </Select>
        {pending?.userId === m.userId && <Spinner label={t('common.saving')} />}
      </span>
    );
  };

  return (
    <Card title={t('members.membersCard')}>
      <div className="stack">
        <ErrorMessage error={changeRole.error} />
        <ErrorMessage error={removeError} />
        <ListStates source={members} empty={<EmptyState title={t('members.empty')} />}>
          {(data) => (
            <div className="table-wrap table-bleed">
              <table className="table table-stack">
                <thead>
                  <tr>
                    <th scope="col">{t('members.name')}</th>
                    <th scope="col">{t('members.role')}</th>
                    <th scope="col">{t('members.joined')}</th>
                    <th scope="col" className="actions">
                      <span className="sr-only">{t('members.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((m) => {
                    const self = m.userId === me?.user.id;
                    return (
                      <tr key={m.userId}>
                        <td data-label={t('members.name')}>
                          <div style={{ minWidth: 0, textAlign: 'left' }}>
                            <div className="cell-main">
                              {m.name} {self && <span className="muted">({t('members.you')})</span>}
                            </div>
                            <div className="cell-sub">{m.email}</div>
                          </div>
                        </td>
                        <td data-label={t('members.role')}>{roleControl(m)}</td>
                        <td data-label={t('members.joined')} className="nowrap">
                          {formatDate(m.joinedAt, locale)}
                        </td>
                        <td className="actions">
                          {(isAdmin || self) && (
                            <ConfirmButton confirmText={self ? t('members.leaveConfirm') : t('members.removeConfirm')} onConfirm={() => remove(m)}>
                              {self ? t('members.leave') : t('members.remove')}
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
        {members.data && (
          <Pager hasPrevious={pager.hasPrevious} hasNext={Boolean(members.data.nextCursor)} onPrevious={pager.previous} onNext={() => members.data?.nextCursor && pager.next(members.data.nextCursor)} />
        )}
      </div>
    </Card>
  );
}
