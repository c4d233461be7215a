import type { ReactNode } from 'react';

// Icons of the live room (24-unit grid, stroke drawn in the current text colour, hidden from screen readers).
const icon = (children: ReactNode) =>
  function Icon() {
    return (
      <svg className="rm-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {children}
      </svg>
    );
  };

/** Microphone. */
export const IconMic = icon(<><rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" /></>);
/** Microphone crossed out. */
export const IconMicOff = icon(<><path d="M15 9.5V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5M5.5 11a6.5 6.5 0 0 0 10.4 5.2M18.5 11c0 .8-.1 1.5-.4 2.2M12 17.5V21M8.5 21h7M3 3l18 18" /></>);
/** Camera. */
export const IconCamera = icon(<><rect x="2.5" y="6" width="13" height="12" rx="2.5" /><path d="m15.5 10.5 6-3.5v10l-6-3.5" /></>);
/** Camera crossed out. */
export const IconCameraOff = icon(<><path d="M9 6h4a2.5 2.5 0 0 1 2.5 2.5V12m0 3.5A2.5 2.5 0 0 1 13 18H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 4.3 6.1M15.5 10.5l6-3.5v10l-3.2-1.9M3 3l18 18" /></>);
/** A screen with an arrow (share). */
export const IconScreen = icon(<><rect x="2.5" y="4" width="19" height="13" rx="2" /><path d="M8 21h8M12 17v4M12 13.5v-6M9.3 10.2 12 7.5l2.7 2.7" /></>);
/** A raised hand. */
export const IconHand = icon(<path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V11m0-6.5v-1a1.5 1.5 0 0 1 3 0V11m0-6a1.5 1.5 0 0 1 3 0v6.5m0-4a1.5 1.5 0 0 1 3 0V14a8 8 0 0 1-8 8h-.6a7 7 0 0 1-5.6-2.8L3 15.5a1.6 1.6 0 0 1 2.4-2.1L8 15.5" />);
/** A smiling face (reactions). */
export const IconSmile = icon(<><circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" /></>);
/** A door with an arrow (leave). */
export const IconLeave = icon(<><path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10" /></>);
/** People. */
export const IconPeople = icon(<><circle cx="9" cy="8" r="3.5" /><path d="M2.5 20c.6-3.6 3.2-6 6.5-6s5.9 2.4 6.5 6M16 4.6a3.5 3.5 0 0 1 0 6.8M18.5 14.3c1.6.9 2.6 2.9 3 5.7" /></>);
/** A speech bubble (chat). */
export const IconChat = icon(<path d="M20.5 12a8 8 0 0 1-11.6 7.1L3.5 20.5l1.4-4.6A8 8 0 1 1 20.5 12Z" />);
/** A question mark in a bubble (Q&A). */
export const IconQuestion = icon(<><circle cx="12" cy="12" r="9" /><path d="M9.5 9.3a2.6 2.6 0 0 1 5 .9c0 1.7-2.5 2.3-2.5 3.8M12 17.3h.01" /></>);
/** Bars (polls). */
export const IconPoll = icon(<path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />);
/** A page with lines (notes). */
export const IconNotes = icon(<><path d="M6 3h9l4 4v14H6z" /><path d="M15 3v4h4M9 12h7M9 16h5" /></>);
/** A paperclip (files). */
export const IconFile = icon(<path d="m20 11.5-8.2 8.2a5 5 0 0 1-7.1-7.1l8.5-8.5a3.4 3.4 0 0 1 4.8 4.8l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />);
/** Four squares (gallery). */
export const IconGrid = icon(<><rect x="3" y="3" width="8" height="8" rx="1.5" /><rect x="13" y="3" width="8" height="8" rx="1.5" /><rect x="3" y="13" width="8" height="8" rx="1.5" /><rect x="13" y="13" width="8" height="8" rx="1.5" /></>);
/** A large area with a strip (presentation). */
export const IconPresentation = icon(<><rect x="2.5" y="3.5" width="14" height="12" rx="1.5" /><rect x="18.5" y="3.5" width="3" height="3.5" rx="1" /><rect x="18.5" y="9" width="3" height="3.5" rx="1" /><path d="M6 20h7" /></>);
/** One person large (speaker). */
export const IconSpeaker = icon(<><rect x="2.5" y="3.5" width="19" height="17" rx="2" /><circle cx="12" cy="10" r="3" /><path d="M6.5 20.5c.8-3 3-4.8 5.5-4.8s4.7 1.8 5.5 4.8" /></>);
/** A gear. */
export const IconGear = icon(<><circle cx="12" cy="12" r="3" /><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z" /></>);
/** Three dots. */
export const IconMore = icon(<path d="M5 12h.01M12 12h.01M19 12h.01" strokeWidth="3" />);
/** A padlock. */
export const IconLock = icon(<><rect x="4.5" y="10.5" width="15" height="10" rx="2" /><path d="M8 10.5V7a4 4 0 0 1 8 0v3.5" /></>);
/** A triangle (start). */
export const IconPlay = icon(<path d="M7 4.5v15l12-7.5z" />);
/** A square (end). */
export const IconStop = icon(<rect x="5.5" y="5.5" width="13" height="13" rx="2" />);
/** A cross. */
export const IconX = icon(<path d="M6 6l12 12M18 6 6 18" />);
/** An arrow up (upvote). */
export const IconUp = icon(<path d="M12 19V5M5.5 11.5 12 5l6.5 6.5" />);
/** A download arrow. */
export const IconDownload = icon(<path d="M12 4v11M7 10.5l5 5 5-5M4.5 20h15" />);
/** A panel on the right (side panel). */
export const IconPanel = icon(<><rect x="2.5" y="4" width="19" height="16" rx="2" /><path d="M15 4v16" /></>);
/** A check mark. */
export const IconCheckmark = icon(<path d="m4.5 12.5 5 5 10-11" />);
/** A signal (connection quality). */
export const IconSignal = icon(<path d="M4 20v-3M9 20v-7M14 20V9M19 20V4" />);
