/** The consent text an event gets when the host writes none (English; versioned like any other). */
export const DEFAULT_CONSENT_TEXT =
  'I agree that the organizer stores my name, my email address and my answers to this form in order to ' +
  'manage my registration for this event, to send me my personal join link, reminders and changes to the event. ' +
  'My data is deleted when the organizer no longer needs it, and I can ask for it to be deleted at any time.';
