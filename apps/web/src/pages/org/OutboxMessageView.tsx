import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { getAnyOutboxMessage, getOrgOutboxMessage, type MailStatus } from '@podium/protocol';
import { Badge, Button, Card, ErrorMessage, Spinner } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes, shortDateTime } from '../../lib/dates';
import { linkify } from '../../lib/linkify';

type Tab = 'html' | 'text';

/** Badge colour of each delivery status. */
export const MAIL_TONE: Record<MailStatus, 'info' | 'success' | 'danger' | 'neutral'> = { queued: 'info', sent: 'success', failed: 'danger', stored: 'neutral' };

/** One email: headers, delivery state, the HTML body in a fully sandboxed frame, the text body, attachments. */
export function OutboxMessageView({ orgId, mailId, onBack }: { orgId: string | undefined; mailId: string; onBack(): void }) {
  const { t, locale } = useI18n();
  const org = useApi(getOrgOutboxMessage, orgId ? { params: { orgId, mailId } } : null, [orgId, mailId]);
  const any = useApi(getAnyOutboxMessage, orgId ? null : { params: { mailId } }, [orgId, mailId]);
  const msg = orgId ? org : any;
  const [tab, setTab] = useState<Tab>('html');
  const backRef = useRef<HTMLButtonElement>(null);
  useEffect(() => backRef.current?.focus(), []);
  const m = msg.data;
  const tabs: Tab[] = m?.html ? ['html', 'text'] : ['text'];
  const shown: Tab = m?.html ? tab : 'text';
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = tabs[(tabs.indexOf(shown) + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    setTab(next);
    document.getElementById(`mail-tab-${next}`)?.focus();
  };

  const back = (
    <Button ref={backRef} type="button" variant="secondary" className="btn-sm" onClick={onBack}>
      ← {t('outbox.backToList')}
    </Button>
  );
  if (msg.loading && !m) {
    return (
      <Card actions={back}>
        <div className="full-page-spinner" style={{ minHeight: 160 }}>
          <Spinner />
        </div>
      </Card>
    );
  }
  if (!m) {
    return (
      <Card actions={back}>
        <ErrorMessage error={msg.error} />
      </Card>
    );
  }
  return (
    <Card title={m.subject || t('outbox.noSubject')} actions={back}>
      <div className="mail-view">
        <dl className="dl">
          <dt>{t('outbox.to')}</dt>
          <dd>{m.to}</dd>
          <dt>{t('outbox.status')}</dt>
          <dd>
            <Badge tone={MAIL_TONE[m.status]}>{t(`outbox.state.${m.status}`)}</Badge>{' '}
            <span className="muted small">{t(`outbox.stateHelp.${m.status}`)}</span>
          </dd>
          <dt>{t('outbox.date')}</dt>
          <dd>{shortDateTime(m.createdAt, locale)}</dd>
          {m.sentAt && (
            <>
              <dt>{t('outbox.sentAt')}</dt>
              <dd>{shortDateTime(m.sentAt, locale)}</dd>
            </>
          )}
          {m.attempts > 0 && (
            <>
              <dt>{t('outbox.attempts')}</dt>
              <dd>{m.attempts}</dd>
            </>
          )}
          {m.lastError && (
            <>
              <dt>{t('outbox.lastError')}</dt>
              <dd className="mono">{m.lastError}</dd>
            </>
          )}
        </dl>
        {m.attachments.length > 0 && (
          <div>
            <h3>{t('outbox.attachments')}</h3>
            <ul className="attachment-list">
              {m.attachments.map((a, i) => (
                <li key={i}>
                  {a.filename} <span className="muted">· {a.contentType} · {formatBytes(a.size, locale)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div>
          <div className="tabs" role="tablist" aria-label={t('outbox.body')} onKeyDown={onTabKey}>
            {tabs.map((k) => (
              <button
                key={k}
                id={`mail-tab-${k}`}
                type="button"
                role="tab"
                className="tab"
                aria-selected={shown === k}
                aria-controls={`mail-panel-${k}`}
                tabIndex={shown === k ? 0 : -1}
                onClick={() => setTab(k)}
              >
                {t(k === 'html' ? 'outbox.htmlTab' : 'outbox.textTab')}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`mail-panel-${shown}`} aria-labelledby={`mail-tab-${shown}`}>
            {shown === 'html' && m.html ? (
              // sandbox="" : no scripts, no forms, no same-origin access, no navigation of this page.
              <iframe className="mail-frame" sandbox="" srcDoc={m.html} title={t('outbox.htmlFrame', { subject: m.subject })} />
            ) : (
              <pre className="mail-pre">
                {linkify(m.text).map((p, i) =>
                  p.kind === 'link' ? (
                    <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">
                      {p.text}
                    </a>
                  ) : (
                    <span key={i}>{p.text}</span>
                  ),
                )}
              </pre>
            )}
          </div>
        </div>
      </div>
    </Card>
  );
}
