import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { getJoinInfo, type JoinInfo } from '@podium/protocol';
import { RoomConnection, RoomMedia, browserPeer, mayPublish, type RoomModel } from '@podium/client';
import { ApiError, call } from '../../api/client';
import { FullPageSpinner } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { RoomProvider, useConnectionState, roomErrorText } from '../../room/context';
import { loadDeviceChoice } from '../../room/devices';
import type { PreparedDevices } from '../../room/DeviceCheck';
import { Room } from '../../room/Room';
import { exposeDiagnostics } from '../../room/diagnostics';
import { RoomDocs } from '../../room/roomDocs';
import { Lobby } from './Lobby';
import { RoomOutcome } from './RoomScreens';
import '../../components/events/events.css';
import '../../room/room.css';

/** Per tab: this room was joined, so a reload goes straight back in. */
const JOINED_KEY = (eventId: string) => `podium.room.${eventId}.joined`;

/** One stay: the connection and its media, made when the person clicks Join. */
interface Stay {
  conn: RoomConnection;
  media: RoomMedia;
  docs: RoomDocs;
}

function newStay(token: string): Stay {
  const conn = new RoomConnection({ url: window.location.origin, token });
  const media = new RoomMedia(conn, {
    makePeer: (iceServers) => browserPeer({ bundlePolicy: 'max-bundle', iceServers: iceServers ?? [] }),
  });
  const docs = new RoomDocs(conn);
  return { conn, media, docs };
}

/** Ends a stay: media stopped, documents freed, the room left. */
function endStay(s: Stay): void {
  void s.media.close();
  s.docs.destroy();
  void s.conn.leave();
}

/** The live room page `/room/:eventId?token=…`: lobby, then the room, and a clear screen for every outcome. */
export default function RoomPage() {
  const { eventId = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const { t } = useI18n();
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [stay, setStay] = useState<Stay | null>(null);
  const [devices, setDevices] = useState<PreparedDevices>(() => ({ choice: loadDeviceChoice(), camera: null, mic: null }));
  const devicesRef = useRef(devices);
  devicesRef.current = devices;

  const loadInfo = useCallback(async () => {
    setInfoError(null);
    try {
      setInfo(await call(getJoinInfo, { query: { token } }));
    } catch (err) {
      setInfoError(err);
    }
  }, [token]);
  useEffect(() => {
    if (token) void loadInfo();
  }, [token, loadInfo]);

  const join = useCallback(() => {
    const s = newStay(token);
    setStay(s);
    void s.conn.start();
  }, [token]);

  // A reload of a room this tab was in goes straight back in.
  const autoJoined = useRef(false);
  useEffect(() => {
    if (!info || autoJoined.current || stay) return;
    autoJoined.current = true;
    if (sessionStorage.getItem(JOINED_KEY(eventId)) === '1' && info.event.status !== 'ended' && info.event.status !== 'cancelled') join();
  }, [info, stay, eventId, join]);

  useEffect(() => (stay ? exposeDiagnostics(stay.conn, stay.media) : undefined), [stay]);

  // Leaving the page leaves the room (best effort: the server also notices the closed socket).
  useEffect(() => {
    if (!stay) return;
    const onHide = (e: PageTransitionEvent) => {
      // Kept in the back/forward cache: the page may come back, and then reconnects on its own.
      if (e.persisted) return;
      void stay.conn.leave();
    };
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
    };
  }, [stay]);
  useEffect(() => () => {
    if (stay) endStay(stay);
  }, [stay]);

  if (!token) return <RoomOutcome code="TOKEN_INVALID" />;
  if (infoError) {
    const bad = infoError instanceof ApiError && (infoError.status === 404 || ['TOKEN_INVALID', 'VALIDATION_FAILED', 'REGISTRATION_NOT_FOUND', 'EVENT_NOT_FOUND'].includes(infoError.code));
    if (bad) return <RoomOutcome code="TOKEN_INVALID" />;
    return <RoomOutcome code="ERROR" onRetry={() => void loadInfo()}><p>{roomErrorText(t, infoError)}</p></RoomOutcome>;
  }
  if (!info) return <FullPageSpinner />;
  if (info.event.id !== eventId) return <RoomOutcome code="TOKEN_INVALID" />;

  return (
    <StayView
      info={info}
      token={token}
      onInfoChange={loadInfo}
      stay={stay}
      devices={devices}
      onDevices={setDevices}
      devicesRef={devicesRef}
      onJoin={join}
      onLeave={() => {
        sessionStorage.removeItem(JOINED_KEY(eventId));
        if (stay) endStay(stay);
      }}
      onRejoin={join}
    />
  );
}

function StayView({ info, token, onInfoChange, stay, devices, onDevices, devicesRef, onJoin, onLeave, onRejoin }: {
  info: JoinInfo;
  token: string;
  onInfoChange(): void;
  stay: Stay | null;
  devices: PreparedDevices;
  onDevices(d: PreparedDevices): void;
  devicesRef: React.RefObject<PreparedDevices>;
  onJoin(): void;
  onLeave(): void;
  onRejoin(): void;
}) {
  const joinPage = `/join/${encodeURIComponent(token)}`;
  const e = info.event;
  if (!stay) {
    if (e.status === 'ended') return <RoomOutcome code="EVENT_ENDED" orgName={e.orgName} title={e.title} />;
    if (e.status === 'cancelled') return <RoomOutcome code="EVENT_CANCELLED" orgName={e.orgName} title={e.title} />;
    return <Lobby info={info} token={token} onInfoChange={onInfoChange} conn={null} devices={devices} onDevices={onDevices} onJoin={onJoin} onPassword={() => undefined} waiting={false} />;
  }
  return <StayWithConnection info={info} token={token} onInfoChange={onInfoChange} stay={stay} devices={devices} onDevices={onDevices} devicesRef={devicesRef} onLeave={onLeave} onRejoin={onRejoin} joinPage={joinPage} />;
}

function StayWithConnection({ info, token, onInfoChange, stay, devices, onDevices, devicesRef, onLeave, onRejoin, joinPage }: {
  info: JoinInfo;
  token: string;
  onInfoChange(): void;
  stay: Stay;
  devices: PreparedDevices;
  onDevices(d: PreparedDevices): void;
  devicesRef: React.RefObject<PreparedDevices>;
  onLeave(): void;
  onRejoin(): void;
  joinPage: string;
}) {
  const snap = useConnectionState(stay.conn);
  const model = snap.model;
  const admitted = !!model && model.admission === 'admitted';
  const e = info.event;

  // On entering: publish what the lobby prepared, if this person may; otherwise close the preview.
  const entered = useRef(false);
  useEffect(() => {
    if (!admitted || !model || entered.current) return;
    entered.current = true;
    sessionStorage.setItem(JOINED_KEY(e.id), '1');
    const d = devicesRef.current;
    if (d.mic) {
      if (mayPublish(model, 'audio')) void stay.media.publish('audio', d.mic).catch(() => undefined);
      else d.mic.stop();
    }
    if (d.camera) {
      if (mayPublish(model, 'video')) void stay.media.publish('video', d.camera).catch(() => undefined);
      else d.camera.stop();
    }
    onDevices({ ...d, mic: null, camera: null });
  }, [admitted, model, stay, devicesRef, onDevices, e.id]);

  if (snap.phase === 'left') return <RoomOutcome code="LEFT" orgName={e.orgName} title={e.title} onRetry={onRejoin} joinPage={joinPage} />;
  if (snap.phase === 'failed' && snap.failure) {
    const code = snap.failure.code;
    if (code !== 'EVENT_PASSWORD_REQUIRED' && code !== 'EVENT_PASSWORD_WRONG' && code !== 'RECORDING_CONSENT_REQUIRED') {
      if (code === 'EVENT_ENDED' || code === 'EVENT_CANCELLED' || code === 'BANNED' || code === 'TOKEN_INVALID') sessionStorage.removeItem(JOINED_KEY(e.id));
      return (
        <RoomOutcome code={code} orgName={e.orgName} title={e.title} joinPage={joinPage}
          onRetry={code === 'REMOVED' ? onRejoin : () => void stay.conn.retry()} />
      );
    }
  }
  if (admitted && model && (snap.phase === 'joined' || snap.phase === 'reconnecting' || snap.phase === 'connecting')) {
    return (
      <RoomProvider conn={stay.conn} media={stay.media} docs={stay.docs} model={model as RoomModel}>
        <Room connection={snap} onLeave={onLeave} />
      </RoomProvider>
    );
  }
  return (
    <Lobby
      info={info}
      token={token}
      onInfoChange={onInfoChange}
      conn={snap}
      devices={devices}
      onDevices={onDevices}
      onJoin={() => void stay.conn.retry()}
      onPassword={(pw) => void stay.conn.joinWithPassword(pw)}
      waiting={snap.phase === 'joined' && model?.admission === 'waiting'}
    />
  );
}
