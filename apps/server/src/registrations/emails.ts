/** Texts of every email the events and registrations domain sends: plain text plus simple HTML, English for now. */

/** A rendered email (recipient and organization are added by the sender). */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** What the templates need to know about an event. */
export interface EmailEvent {
  title: string;
  orgName: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The event's start written in its own time zone, e.g. "Tuesday, 3 March 2026 at 14:00 (Europe/Warsaw)". */
export function formatStart(startsAt: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // Formatters are costly to build and there are few time zones: keep one per zone.
    f = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' });
    if (formatters.size < 1000) formatters.set(timeZone, f);
  }
  return `${f.format(startsAt)} (${timeZone})`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function layout(paragraphs: string[], link?: { url: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link ? `\n<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n${body}${button}\n</body></html>`;
}

function durationText(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** Sent right after registering: the personal join link, with the .ics attached by the caller. */
export function confirmationEmail(ev: EmailEvent, name: string, joinUrl: string, role: 'attendee' | 'presenter'): EmailContent {
  const when = formatStart(ev.startsAt, ev.timeZone);
  const lines = [
    `Hello ${name},`,
    role === 'presenter'
      ? `you are registered as a presenter for "${ev.title}" by ${ev.orgName}.`
      : `you are registered for "${ev.title}" by ${ev.orgName}.`,
    `It starts ${when} and lasts ${durationText(ev.durationMinutes)}.`,
    'Your personal join link (do not share it, it is yours alone):',
  ];
  const after = ['The attached calendar file adds the event to your calendar.'];
  return {
    subject: `You are registered: ${ev.title}`,
    text: [...lines, joinUrl, '', ...after].join('\n'),
    html: layout([...lines.slice(0, 3), 'Your personal join link is below; do not share it, it is yours alone.', ...after], { url: joinUrl, label: 'Join the event' }),
  };
}

/** Sent `minutesBefore` the start to every registrant, each with their own link. */
export function reminderEmail(ev: EmailEvent, name: string, joinUrl: string, minutesBefore: number): EmailContent {
  const when = formatStart(ev.startsAt, ev.timeZone);
  const soon = minutesBefore >= 1440 && minutesBefore % 1440 === 0
    ? (minutesBefore === 1440 ? 'tomorrow' : `in ${minutesBefore / 1440} days`)
    : `in ${durationText(minutesBefore)}`;
  const lines = [`Hello ${name},`, `"${ev.title}" by ${ev.orgName} starts ${soon}: ${when}.`, 'Your personal join link:'];
  return {
    subject: `Reminder: ${ev.title} starts ${soon}`,
    text: [...lines, joinUrl].join('\n'),
    html: layout(lines.slice(0, 2), { url: joinUrl, label: 'Join the event' }),
  };
}

/** Sent to every registrant when the host cancels. */
export function cancellationEmail(ev: EmailEvent, name: string): EmailContent {
  const when = formatStart(ev.startsAt, ev.timeZone);
  const lines = [
    `Hello ${name},`,
    `"${ev.title}" by ${ev.orgName}, planned for ${when}, has been cancelled.`,
    'Your join link no longer opens the event. We are sorry for the inconvenience.',
  ];
  return { subject: `Cancelled: ${ev.title}`, text: lines.join('\n'), html: layout(lines) };
}

/** Sent to an invited email: the event's registration page. */
export function invitationEmail(ev: EmailEvent, registerUrl: string): EmailContent {
  const when = formatStart(ev.startsAt, ev.timeZone);
  const lines = [
    'Hello,',
    `${ev.orgName} invites you to "${ev.title}", ${when}.`,
    'Register with this email address on the event page:',
  ];
  return {
    subject: `Invitation: ${ev.title}`,
    text: [...lines, registerUrl].join('\n'),
    html: layout(lines.slice(0, 2), { url: registerUrl, label: 'Register' }),
  };
}
