import { forwardRef, useMemo, type SelectHTMLAttributes } from 'react';
import { Select } from '../ui';
import { formatOffset, listTimeZones, zoneOffsetMs } from './timezone';

/** Props of TimeZoneSelect: a native select's props plus the instant whose offsets are shown. */
export interface TimeZoneSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: string;
  onChange(zone: string): void;
  /** Offsets are shown for this instant (the event's start), since they change with daylight saving time. */
  atMs: number;
  invalid?: boolean;
}

/** Every IANA time zone as "Europe/Warsaw (UTC+02:00)", sorted by name; keeps an unknown current value selectable. */
export const TimeZoneSelect = forwardRef<HTMLSelectElement, TimeZoneSelectProps>(function TimeZoneSelect(
  { value, onChange, atMs, ...rest },
  ref,
) {
  // Offsets for the day only, so typing a time does not recompute 400 labels.
  const day = Math.floor(atMs / 86_400_000);
  const options = useMemo(() => {
    const at = day * 86_400_000 + 43_200_000;
    return listTimeZones([value]).map((zone) => {
      let offset = '';
      try {
        offset = formatOffset(zoneOffsetMs(at, zone));
      } catch {
        offset = '';
      }
      return { zone, label: offset ? `${zone.replace(/_/g, ' ')} (${offset})` : zone };
    });
  }, [day, value]);
  return (
    <Select ref={ref} {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o.zone} value={o.zone}>{o.label}</option>
      ))}
    </Select>
  );
});
