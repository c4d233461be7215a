/**
 * One recording in a host's list (the event page's section and the organization's recordings):
 * status, date, length, tracks, the MP4 (progress while it is made, the reason when it failed,
 * retry), and the actions: play, download the MP4 or a track, publish with an optional expiry
 * (the link shown to copy), unpublish, retention (a date, keep, or the organization's default),
 * delete with confirmation. Every change is shown once the server confirmed it.
 */
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  composeRecordingMp4, deleteRecording, publishRecording, recordingMp4Content, recordingTrackContent, setRecordingRetention, unpublishRecording,
  type Recording, type RecordingRetentionBody,
} from '@podium/protocol';
import { call, routeUrl } from '../../api/client';
import { Alert, Badge, Button, ConfirmButton, CopyField, ErrorMessage, LinkButton, TextInput, type BadgeTone } from '../../components/ui';
import { useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate, formatDateTime } from '../../i18n/format';
import { formatBytes } from '../../lib/dates';
import { formatClock } from './playback-model';

const STATUS_TONE: Record<Recording['status'], BadgeTone> = { recording: 'danger', processing: 'info', ready: 'success', failed: 'danger', expired: 'neutral' };

/** Whether the server is still working on the recording (the list asks again while so). */
export function inProgress(r: Recording): boolean {
  return r.status === 'recording' || r.status === 'processing' || (r.status === 'ready' && (r.mp4.status === 'pending' || r.mp4.status === 'running'));
}

/** A date input's value (local day) as the end of that day in ISO time. */
function endOfDay(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T23:59:59`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
function dayValue(iso: string | null, plusDays = 0): string {
  const d = iso ? new Date(iso) : new Date(Date.now() + plusDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Why the MP4 failed, in the server's plain words, with a retry. */
function Mp4Failed({ recording, onChanged }: { recording: Recording; onChanged(r: Recording): void }) {
  const { t } = useI18n();
  const params = { orgId: recording.orgId, recordingId: recording.id };
  const retry = useMutation(async () => onChanged(await call(composeRecordingMp4, { params })));
  return (
    <div className="rc-mp4-failed">
      <Alert kind="error">
        <div className="rc-mp4-failed-body">
          <span><strong>{t('recordings.item.mp4Failed')}</strong> {recording.mp4.error ?? ''}</span>
          <Button type="button" className="btn-sm" busy={retry.busy} onClick={() => void retry.run()}>{t('recordings.item.mp4Retry')}</Button>
        </div>
      </Alert>
      <ErrorMessage error={retry.error} />
    </div>
  );
}

function Mp4State({ recording }: { recording: Recording }) {
  const { t, locale } = useI18n();
  const mp4 = recording.mp4;
  const params = { orgId: recording.orgId, recordingId: recording.id };
  if (recording.status !== 'ready') return null;
  if (mp4.status === 'ready') {
    return (
      <a className="btn btn-secondary btn-sm" href={routeUrl(recordingMp4Content, params)} download>
        {t('recordings.item.downloadMp4')}{mp4.size !== null && <span className="muted"> · {formatBytes(mp4.size, locale)}</span>}
      </a>
    );
  }
  if (mp4.status === 'failed') return null;
  const percent = Math.round(mp4.progress * 100);
  const label = mp4.status === 'pending' ? t('recordings.item.mp4Pending') : t('recordings.item.mp4Running', { percent });
  return (
    <div className="rc-mp4-progress">
      <span className="small muted">{label}</span>
      <div className={`rc-progress${mp4.status === 'pending' ? ' is-checking' : ''}`} role="progressbar" aria-label={t('recordings.item.mp4Label')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={label}>
        <div className="rc-progress-bar" style={{ width: `${mp4.status === 'pending' ? 100 : percent}%` }} />
      </div>
      {mp4.error && <span className="small muted rc-mp4-note">{mp4.error}</span>}
    </div>
  );
}

function PublishPanel({ recording, onChanged }: { recording: Recording; onChanged(r: Recording): void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const params = { orgId: recording.orgId, recordingId: recording.id };
  const [expires, setExpires] = useState(false);
  const [day, setDay] = useState(() => dayValue(null, 30));
  const publish = useMutation(async () => {
    const expiresAt = expires ? endOfDay(day) : null;
    const published = await call(publishRecording, { params, body: { expiresAt } });
    onChanged({ ...recording, published });
  });
  const unpublish = async () => {
    await call(unpublishRecording, { params });
    onChanged({ ...recording, published: null });
  };
  if (recording.published) {
    const p = recording.published;
    return (
      <div className="stack-sm">
        <CopyField value={p.url} label={t('recordings.item.link')} />
        <p className="small muted">
          {p.expiresAt ? t('recordings.item.linkExpires', { date: formatDateTime(p.expiresAt, locale) }) : t('recordings.item.linkNoExpiry')}
        </p>
        <div className="rc-row-actions">
          <a className="btn btn-secondary btn-sm" href={p.url} target="_blank" rel="noopener noreferrer">{t('recordings.item.openLink')}</a>
          <ConfirmButton confirmText={t('recordings.item.unpublishConfirm')} onConfirm={unpublish}>{t('recordings.item.unpublish')}</ConfirmButton>
        </div>
      </div>
    );
  }
  return (
    <form className="stack-sm" onSubmit={(e) => { e.preventDefault(); void publish.run(); }}>
      <p className="small muted">{t('recordings.item.publishHint')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={expires} onChange={(e) => setExpires(e.target.checked)} />
        <span>{t('recordings.item.publishExpires')}</span>
      </label>
      {expires && (
        <div className="rc-inline-field">
          <label className="field-label" htmlFor={`${id}-day`}>{t('recordings.item.publishUntil')}</label>
          <TextInput id={`${id}-day`} type="date" value={day} min={dayValue(null, 0)} onChange={(e) => setDay(e.target.value)} required />
        </div>
      )}
      <div><Button type="submit" variant="primary" className="btn-sm" busy={publish.busy}>{t('recordings.item.publish')}</Button></div>
      <ErrorMessage error={publish.error} />
    </form>
  );
}

function RetentionPanel({ recording, onChanged }: { recording: Recording; onChanged(r: Recording): void }) {
  const { t, locale } = useI18n();
  const id = useId();
  const params = { orgId: recording.orgId, recordingId: recording.id };
  const [day, setDay] = useState(() => dayValue(recording.expiresAt, 90));
  const save = useMutation(async (expiresAt: RecordingRetentionBody['expiresAt']) => onChanged(await call(setRecordingRetention, { params, body: { expiresAt } })));
  return (
    <div className="stack-sm">
      <p className="small">
        {recording.expiresAt ? t('recordings.item.deletedOn', { date: formatDate(recording.expiresAt, locale) }) : t('recordings.item.keptForever')}
      </p>
      <form className="rc-inline-field" onSubmit={(e) => { e.preventDefault(); const iso = endOfDay(day); if (iso) void save.run(iso); }}>
        <label className="field-label" htmlFor={`${id}-keep`}>{t('recordings.item.keepUntil')}</label>
        <TextInput id={`${id}-keep`} type="date" value={day} min={dayValue(null, 1)} onChange={(e) => setDay(e.target.value)} required />
        <Button type="submit" className="btn-sm" busy={save.busy}>{t('recordings.item.save')}</Button>
      </form>
      <div className="rc-row-actions">
        <Button type="button" variant="ghost" className="btn-sm" disabled={save.busy || recording.expiresAt === null} onClick={() => void save.run(null)}>{t('recordings.item.keepForever')}</Button>
        <Button type="button" variant="ghost" className="btn-sm" disabled={save.busy} onClick={() => void save.run('default')}>{t('recordings.item.useDefault')}</Button>
      </div>
      <ErrorMessage error={save.error} />
    </div>
  );
}

/** One recording with its state and actions (see file comment). */
export function RecordingItem({ recording, showEvent = false, onChanged, onDeleted }: {
  recording: Recording; showEvent?: boolean; onChanged(r: Recording): void; onDeleted(): void;
}) {
  const { t, locale } = useI18n();
  const r = recording;
  const params = { orgId: r.orgId, recordingId: r.id };
  const [open, setOpen] = useState<'tracks' | 'publish' | 'retention' | null>(null);
  const remove = async () => {
    await call(deleteRecording, { params });
    onDeleted();
  };
  const counts = { audio: 0, video: 0, screen: 0 };
  for (const tr of r.tracks) counts[tr.kind]++;
  const trackSummary = (['audio', 'video', 'screen'] as const).filter((k) => counts[k] > 0).map((k) => t(`recordings.item.tracks.${k}`, { count: counts[k] })).join(', ');
  const ready = r.status === 'ready';
  const toggle = (p: typeof open) => setOpen((o) => (o === p ? null : p));
  const dropped = r.tracks.reduce((n, tr) => n + tr.droppedPackets, 0);
  // Every action of the item is described by its title, so "Delete" says which recording.
  const titleId = useId();

  return (
    <li className="rc-item" data-recording-id={r.id} data-status={r.status} data-mp4-status={r.mp4.status}>
      <div className="rc-head">
        <div className="rc-title-block">
          <div className="rc-title" id={titleId}>
            {showEvent ? <Link to={`/o/${r.orgId}/events/${r.eventId}`}>{r.eventTitle}</Link> : t('recordings.item.title', { date: formatDateTime(r.startedAt, locale) })}
            <Badge tone={STATUS_TONE[r.status]}>{r.status === 'recording' && <span className="rc-rec-dot" aria-hidden="true" />}{t(`recordings.status.${r.status}`)}</Badge>
            {r.published && <Badge tone="info">{t('recordings.item.published')}</Badge>}
          </div>
          <div className="small muted rc-meta">
            {[
              showEvent ? formatDateTime(r.startedAt, locale) : null,
              r.durationMs !== null ? t('recordings.item.length', { time: formatClock(r.durationMs) }) : null,
              trackSummary || (r.status === 'recording' ? null : t('recordings.item.noTracks')),
              r.expiresAt ? t('recordings.item.deletedOn', { date: formatDate(r.expiresAt, locale) }) : t('recordings.item.keptForever'),
            ].filter(Boolean).join(' · ')}
          </div>
        </div>
        <div className="rc-actions">
          {ready && <LinkButton to={`/o/${r.orgId}/recordings/${r.id}/play`} variant="primary" describedBy={titleId}><span aria-hidden="true">▶</span> {t('recordings.item.play')}</LinkButton>}
          <Mp4State recording={r} />
        </div>
      </div>
      {ready && r.mp4.status === 'failed' && <Mp4Failed recording={r} onChanged={onChanged} />}
      {r.status === 'failed' && r.error && <Alert kind="error">{r.error}</Alert>}
      {r.status === 'processing' && <p className="small muted">{t('recordings.item.processingHint')}</p>}
      {dropped > 0 && <p className="small muted">{t('recordings.item.dropped', { count: dropped })}</p>}
      {r.status !== 'recording' && (
        <div className="rc-tools">
          {ready && r.tracks.length > 0 && (
            <Button type="button" variant="ghost" className="btn-sm" aria-expanded={open === 'tracks'} aria-describedby={titleId} onClick={() => toggle('tracks')}>{t('recordings.item.downloadTracks')}</Button>
          )}
          {ready && (
            <Button type="button" variant="ghost" className="btn-sm" aria-expanded={open === 'publish'} aria-describedby={titleId} onClick={() => toggle('publish')}>
              {r.published ? t('recordings.item.shareLink') : t('recordings.item.publishOpen')}
            </Button>
          )}
          {r.status !== 'expired' && (
            <Button type="button" variant="ghost" className="btn-sm" aria-expanded={open === 'retention'} aria-describedby={titleId} onClick={() => toggle('retention')}>{t('recordings.item.retention')}</Button>
          )}
          <span className="rc-tools-spacer" />
          <ConfirmButton confirmText={t('recordings.item.deleteConfirm')} onConfirm={remove} describedBy={titleId}>{t('recordings.item.delete')}</ConfirmButton>
        </div>
      )}
      {open === 'tracks' && (
        <ul className="rc-panel rc-tracks" aria-label={t('recordings.item.downloadTracks')}>
          {r.tracks.map((tr) => (
            <li key={tr.id}>
              <span>{t(`recordings.item.kind.${tr.kind}`)} · {tr.displayName}</span>
              <span className="small muted">{formatClock(tr.durationMs)} · {formatBytes(tr.size, locale)}</span>
              <a className="btn btn-ghost btn-sm" href={routeUrl(recordingTrackContent, { ...params, trackId: tr.id })} download={`${tr.kind}-${tr.displayName}.webm`}>
                {t('recordings.item.downloadWebm')}
              </a>
            </li>
          ))}
        </ul>
      )}
      {open === 'publish' && <div className="rc-panel"><PublishPanel recording={r} onChanged={onChanged} /></div>}
      {open === 'retention' && <div className="rc-panel"><RetentionPanel recording={r} onChanged={onChanged} /></div>}
    </li>
  );
}
