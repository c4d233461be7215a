import type { Poll } from '@podium/protocol';
import { useI18n } from '../i18n/I18nProvider';

/** A poll's results as bars (percent of voters per option), my choice marked. Shared by the room and the report. */
export function PollResultBars({ poll }: { poll: Poll }) {
  const { t, locale } = useI18n();
  const r = poll.results;
  if (!r) return null;
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <ul className="rm-results" aria-label={t('room.polls.results')}>
      {poll.options.map((o, i) => {
        const count = r.counts[i] ?? 0;
        const share = r.voters ? count / r.voters : 0;
        const mine = poll.myChoice?.includes(i);
        return (
          <li key={i} className={`rm-result${mine ? ' is-mine' : ''}`}>
            <div className="rm-result-head">
              <span>{o}{mine && <span className="small muted"> · {t('room.polls.yourChoice')}</span>}</span>
              <span className="rm-result-num">{pct.format(share)} <span className="muted">({count})</span></span>
            </div>
            <div className="rm-result-bar" aria-hidden="true"><span style={{ width: `${Math.round(share * 100)}%` }} /></div>
          </li>
        );
      })}
      <li className="small muted rm-result-voters">{t('room.polls.voters', { count: r.voters })}</li>
    </ul>
  );
}
