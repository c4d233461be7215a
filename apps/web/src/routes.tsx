import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** Who may open a page: anyone, or only a signed-in person (others are sent to sign in). */
export type PageAccess = 'public' | 'signed-in';

/** One page of the app. Pages are loaded on demand, so the public registration page stays small. */
export interface PageRoute {
  path: string;
  access: PageAccess;
  /** Pages inside the signed-in app shell (sidebar, org switcher) vs full-screen public pages. */
  shell: boolean;
  component: LazyExoticComponent<ComponentType>;
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

/** Every page of the web app. */
export const PAGES: PageRoute[] = [
  { path: '/setup', access: 'public', shell: false, component: page(() => import('./pages/auth/SetupPage')) },
  { path: '/sign-in', access: 'public', shell: false, component: page(() => import('./pages/auth/SignInPage')) },
  { path: '/sign-up', access: 'public', shell: false, component: page(() => import('./pages/auth/SignUpPage')) },
  { path: '/forgot-password', access: 'public', shell: false, component: page(() => import('./pages/auth/ForgotPasswordPage')) },
  { path: '/reset-password', access: 'public', shell: false, component: page(() => import('./pages/auth/ResetPasswordPage')) },
  { path: '/invite', access: 'public', shell: false, component: page(() => import('./pages/auth/InvitePage')) },
  { path: '/e/:eventId', access: 'public', shell: false, component: page(() => import('./pages/public/PublicEventPage')) },
  { path: '/join/:token', access: 'public', shell: false, component: page(() => import('./pages/public/JoinPage')) },
  { path: '/my-data', access: 'public', shell: false, component: page(() => import('./pages/public/MyDataPage')) },
  { path: '/room/:eventId', access: 'public', shell: false, component: page(() => import('./pages/room/RoomPage')) },
  { path: '/recordings/:recordingId', access: 'public', shell: false, component: page(() => import('./pages/recordings/PublicPlaybackPage')) },
  { path: '/', access: 'signed-in', shell: true, component: page(() => import('./pages/HomeRedirect')) },
  { path: '/orgs/new', access: 'signed-in', shell: true, component: page(() => import('./pages/org/NewOrgPage')) },
  { path: '/account', access: 'signed-in', shell: true, component: page(() => import('./pages/auth/AccountPage')) },
  { path: '/admin/outbox', access: 'signed-in', shell: true, component: page(() => import('./pages/org/OutboxPage')) },
  { path: '/admin/media', access: 'signed-in', shell: true, component: page(() => import('./pages/admin/MediaServersPage')) },
  { path: '/o/:orgId', access: 'signed-in', shell: true, component: page(() => import('./pages/events/DashboardPage')) },
  { path: '/o/:orgId/events/new', access: 'signed-in', shell: true, component: page(() => import('./pages/events/EventEditorPage')) },
  { path: '/o/:orgId/events/:eventId', access: 'signed-in', shell: true, component: page(() => import('./pages/events/EventDetailPage')) },
  { path: '/o/:orgId/events/:eventId/edit', access: 'signed-in', shell: true, component: page(() => import('./pages/events/EventEditorPage')) },
  { path: '/o/:orgId/events/:eventId/registrants', access: 'signed-in', shell: true, component: page(() => import('./pages/events/RegistrantsPage')) },
  { path: '/o/:orgId/events/:eventId/report', access: 'signed-in', shell: true, component: page(() => import('./pages/events/EventReportPage')) },
  { path: '/o/:orgId/recordings', access: 'signed-in', shell: true, component: page(() => import('./pages/recordings/OrgRecordingsPage')) },
  { path: '/o/:orgId/recordings/:recordingId/play', access: 'signed-in', shell: false, component: page(() => import('./pages/recordings/PlaybackPage')) },
  { path: '/o/:orgId/settings', access: 'signed-in', shell: true, component: page(() => import('./pages/org/OrgSettingsPage')) },
  { path: '/o/:orgId/members', access: 'signed-in', shell: true, component: page(() => import('./pages/org/MembersPage')) },
  { path: '/o/:orgId/api-keys', access: 'signed-in', shell: true, component: page(() => import('./pages/org/ApiKeysPage')) },
  { path: '/o/:orgId/outbox', access: 'signed-in', shell: true, component: page(() => import('./pages/org/OutboxPage')) },
];
