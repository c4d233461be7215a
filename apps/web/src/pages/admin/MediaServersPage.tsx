import { useEffect } from 'react';
import { mediaStatus, type MediaStatus, type MediaWorkerStatus } from '@podium/protocol';
import { Alert, Badge, Button, Card, EmptyState, ErrorMessage, PageHeader, Spinner } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useDocumentTitle } from '../../hooks/useOrg';
import { useI18n } from '../../i18n/I18nProvider';

const REFRESH_MS = 5000;

/**
 * `/admin/media` (instance admins): this server's SFU workers — connections, CPU, packets sent,
 * event-loop delay, the send step in use, packets dropped for overload — and where clients send
 * media (announced address, UDP ports, ICE-TCP). Refreshed every 5 seconds; rates are over the
 * time since the previous reading.
 */
export default function MediaServersPage() {
  const { t } = useI18n();
  useDocumentTitle(t('media.title'));
  const status = useApi(mediaStatus, {}, []);
  const { reload } = status;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const data = status.data;

  return (
    <>
      <PageHeader
        title={t('media.title')}
        subtitle={t('media.subtitle')}
        actions={
          <Button type="button" variant="ghost" className="btn-sm" busy={status.loading && Boolean(data)} onClick={reload}>
            {t('media.refresh')}
          </Button>
        }
      />
      {!data ? (
        status.error ? (
          <ErrorMessage error={status.error} />
        ) : (
          <div className="full-page-spinner" style={{ minHeight: 160 }}>
            <Spinner />
          </div>
        )
      ) : (
        <div className="stack">
          {status.error ? <ErrorMessage error={status.error} /> : null}
          {!data.enabled && <Alert kind="warning">{t('media.off')}</Alert>}
          <Endpoints status={data} />
          {data.enabled && <Workers status={data} />}
        </div>
      )}
    </>
  );
}

function Endpoints({ status }: { status: MediaStatus }) {
  const { t } = useI18n();
  const udp = status.udp.mode === 'range' ? t('media.udpRange', { min: status.udp.min, max: status.udp.max }) : t('media.udpShared', { port: status.udp.firstPort });
  return (
    <Card title={t('media.endpoints')}>
      <dl className="dl">
        <dt>{t('media.announcedIp')}</dt>
        <dd>{status.announcedIp || <span className="muted">{t('media.announcedNone')}</span>}</dd>
        <dt>{t('media.udp')}</dt>
        <dd>{udp}</dd>
        <dt>{t('media.tcp')}</dt>
        <dd>{status.tcpPort > 0 ? t('media.tcpPort', { port: status.tcpPort }) : t('media.tcpOff')}</dd>
      </dl>
    </Card>
  );
}

function Workers({ status }: { status: MediaStatus }) {
  const { t, locale } = useI18n();
  const num = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);
  const rate = (n: number | null, unit = '') => (n === null ? <span className="muted">{t('media.measuring')}</span> : `${num(n)}${unit}`);
  return (
    <Card title={t('media.workers')}>
      <div className="stack">
        <p className="muted small">
          {t('media.liveEvents', { events: status.events, routers: status.routers })} {t('media.updated')}
        </p>
        {status.workers.length === 0 ? (
          <EmptyState title={t('media.noWorkers')} description={t('media.noWorkersHint')} />
        ) : (
          <div className="table-wrap table-bleed">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">{t('media.worker')}</th>
                  <th scope="col">{t('media.connections')}</th>
                  <th scope="col">{t('media.cpu')}</th>
                  <th scope="col">{t('media.packets')}</th>
                  <th scope="col">{t('media.delay')}</th>
                  <th scope="col">{t('media.sendStep')}</th>
                  <th scope="col">{t('media.overloaded')}</th>
                </tr>
              </thead>
              <tbody>
                {status.workers.map((w: MediaWorkerStatus) => (
                  <tr key={w.index}>
                    <td data-label={t('media.worker')} className="cell-main nowrap">
                      {t('media.workerName', { n: w.index })}
                    </td>
                    <td data-label={t('media.connections')}>{w.transports}</td>
                    <td data-label={t('media.cpu')} className="nowrap">{rate(w.cpuPercent, ' %')}</td>
                    <td data-label={t('media.packets')} className="nowrap">{rate(w.packetsPerSecond)}</td>
                    <td data-label={t('media.delay')} className="nowrap">{`${num(w.eventLoopDelayP99Ms)} ms`}</td>
                    <td data-label={t('media.sendStep')}>
                      {w.nativeSend ? (
                        <Badge tone="success">{t('media.native')}</Badge>
                      ) : (
                        <span title={w.nativeSendUnavailable}>
                          <Badge tone="warning">{t('media.javascript')}</Badge>
                        </span>
                      )}
                    </td>
                    <td data-label={t('media.overloaded')}>{w.overflowedPackets > 0 ? <Badge tone="danger">{num(w.overflowedPackets)}</Badge> : '0'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Card>
  );
}
