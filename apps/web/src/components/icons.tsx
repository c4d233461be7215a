import type { ReactNode } from 'react';

const icon = (children: ReactNode) =>
  function Icon() {
    return (
      <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {children}
      </svg>
    );
  };

/** Calendar (events). */
export const IconEvents = icon(
  <>
    <rect x="2" y="3" width="12" height="11" rx="2" />
    <path d="M2 6.5h12M5.5 1.5v3M10.5 1.5v3" />
  </>,
);
/** A play button in a frame (recordings). */
export const IconRecordings = icon(
  <>
    <rect x="1.5" y="3" width="13" height="10" rx="2" />
    <path d="M6.5 6v4l3.5-2z" />
  </>,
);
/** Two people (members). */
export const IconMembers = icon(
  <>
    <circle cx="6" cy="5.5" r="2.5" />
    <path d="M1.5 13.5c.5-2.5 2.3-4 4.5-4s4 1.5 4.5 4" />
    <path d="M11 3.2a2.3 2.3 0 0 1 0 4.6M12.5 9.8c1 .6 1.7 1.9 2 3.7" />
  </>,
);
/** A key (API keys). */
export const IconKey = icon(
  <>
    <circle cx="5" cy="11" r="3" />
    <path d="M7.2 8.8 14 2M11.5 4.5l2 2M10 6l1.5 1.5" />
  </>,
);
/** An envelope (outbox). */
export const IconMail = icon(
  <>
    <rect x="1.5" y="3" width="13" height="10" rx="2" />
    <path d="m2 4 6 5 6-5" />
  </>,
);
/** A gear (settings). */
export const IconSettings = icon(
  <>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </>,
);
/** A plus (new). */
export const IconPlus = icon(<path d="M8 3v10M3 8h10" />);
/** A stack of envelopes (all mail). */
export const IconInbox = icon(
  <>
    <path d="M1.5 9.5 3.5 3h9l2 6.5V13a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" />
    <path d="M1.5 9.5h4l1 1.5h3l1-1.5h4" />
  </>,
);
/** Two stacked servers (media servers). */
export const IconServer = icon(
  <>
    <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
    <rect x="2" y="9" width="12" height="4.5" rx="1" />
    <path d="M4.5 4.75h.01M4.5 11.25h.01" />
  </>,
);
/** Three lines (menu). */
export const IconMenu = icon(<path d="M2 4h12M2 8h12M2 12h12" />);
/** A cross (close). */
export const IconClose = icon(<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" />);
/** Up/down chevrons (switcher). */
export const IconChevrons = icon(<path d="M5 6l3-3 3 3M5 10l3 3 3-3" />);
/** A check mark. */
export const IconCheck = icon(<path d="m3 8.5 3 3 7-7" />);
