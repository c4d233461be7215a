import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { ERRORS, SIGNAL_CLOSE_CODES, type ErrorCode, type IceServer, type ParticipantId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { Bus } from '../bus/bus';
import { LocalBus } from '../bus/local-bus';
import { RoomDirectory } from '../rooms/room-directory';
import { RoomStore } from '../rooms/room-store';
import { roomServices, type RoomPorts } from '../rooms/room-services';
import { defaultRoomPorts } from '../rooms/room-ports';
import { FixedWindowLimiter, clientKey } from '../http/rate-limiter';
import { SignalConnection, type ConnectionLimits } from './connection';
import type { MediaSignalingHandler } from './media-handler';
import { isAllowedOrigin, upgradeClientIp } from './origin';

/** Path of the signaling WebSocket. */
export const SIGNAL_PATH = '/api/v1/signal';

/** Counts of what the signaling endpoint holds, so tests can prove nothing leaks. */
export interface SignalingStats {
  /** Open WebSocket connections. */
  connections: number;
  /** Connections that are in a room. */
  joined: number;
  /** Live rooms and the participants in them. */
  rooms: number;
  participants: number;
  /** Client addresses holding at least one connection. */
  addresses: number;
  /** Timers running: the heartbeat (while any connection is open) and pending bus requests. */
  timers: number;
  busSubscriptions: number;
  busResponders: number;
}

/** The signaling endpoint installed on the HTTP server. */
export interface SignalingServer {
  stats(): SignalingStats;
  /** Closes every connection (1001) and stops timers and rooms; called by the server's close. */
  close(): Promise<void>;
}

/** Parts given instead of the defaults: the media step passes its handler, the cluster its bus. */
export interface SignalingOptions {
  media?: MediaSignalingHandler;
  bus?: Bus;
  /** How rooms reach files and documents (the server's defaults otherwise). */
  roomPorts?: RoomPorts;
  /** The STUN/TURN servers for a participant, sent in `joined` (none when absent). */
  iceServers?: (participantId: ParticipantId) => IceServer[];
}

// Frames up to this many times the limit are read and answered with SIGNAL_TOO_LARGE; larger ones
// are cut off by the WebSocket layer (close 1009) before they take memory.
const HARD_FRAME_FACTOR = 4;
// How long a connection may stay open without being in a room (at least; three heartbeats if longer).
const JOIN_DEADLINE_MS = 30_000;
const SHUTDOWN_GRACE_MS = 500;
const UPGRADE_WINDOW_MS = 60_000;

/**
 * Installs the signaling WebSocket at `/api/v1/signal` on the app's HTTP server: origin check,
 * per-address connection cap and upgrade rate limit, frame size cap, heartbeats, and the rooms
 * (coordinators over the bus) the connections join. Closed with the app.
 */
export function installSignaling(app: FastifyInstance, ctx: AppContext, opts: SignalingOptions = {}): SignalingServer {
  const { config, log } = ctx;
  const bus = opts.bus ?? new LocalBus();
  const ownsBus = !opts.bus;
  const ports = opts.roomPorts ?? defaultRoomPorts(ctx);
  const rooms = new RoomDirectory({
    bus, maxRooms: config.maxLiveRooms, maxParticipants: config.roomMaxParticipants,
    store: new RoomStore(ctx.sql), services: roomServices(ctx, ports),
  });
  rooms.start();
  const heartbeatMs = config.signalHeartbeatMs;
  const limits: ConnectionLimits = {
    heartbeatMs,
    maxFrameBytes: config.signalMaxFrameBytes,
    messagesPerSecond: config.signalMessagesPerSecond,
    burst: Math.max(10, 2 * config.signalMessagesPerSecond),
    maxBufferedBytes: Math.max(1 << 20, 16 * config.signalMaxFrameBytes),
  };
  const capabilities = ['presence', ...(opts.media?.capabilities ?? [])].filter((c, i, a) => a.indexOf(c) === i);
  const joinDeadlineMs = Math.max(JOIN_DEADLINE_MS, 3 * heartbeatMs);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.signalMaxFrameBytes * HARD_FRAME_FACTOR,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const connections = new Set<SignalConnection>();
  const perAddress = new Map<string, number>();
  const upgrades = new FixedWindowLimiter({ limit: config.rateLimitPerMinute, windowMs: UPGRADE_WINDOW_MS, maxKeys: 100_000 });
  let heartbeat: NodeJS.Timeout | undefined;
  const tickMs = Math.max(25, Math.floor(heartbeatMs / 2));
  let lastTickAt = 0;
  let closing = false;

  // One timer for all connections, ticking twice per interval: pings go out every interval, and a
  // connection that sent nothing (no pong, no frame) for two intervals is dropped.
  function tick(): void {
    const now = performance.now();
    // While the event loop was stalled (GC, a long synchronous task) nobody could be heard: that
    // time does not count against the peers, or one stall would drop every connection at once.
    const stalled = Math.max(0, now - lastTickAt - 2 * tickMs);
    lastTickAt = now;
    upgrades.sweep(Date.now());
    for (const c of connections) {
      if (stalled > 0) c.lastSeen = Math.min(now, c.lastSeen + stalled);
      if (now - c.lastSeen > 2 * heartbeatMs) {
        c.drop('timeout');
      } else if (!c.joined && now - c.unjoinedSince > joinDeadlineMs) {
        c.close(SIGNAL_CLOSE_CODES.joinTimeout, 'JOIN_TIMEOUT');
      } else if (now - c.lastPingAt >= heartbeatMs) {
        c.ping(now);
      }
    }
  }

  function startHeartbeat(): void {
    if (heartbeat) return;
    lastTickAt = performance.now();
    heartbeat = setInterval(tick, tickMs);
    heartbeat.unref();
  }

  function stopHeartbeatIfIdle(): void {
    if (heartbeat && connections.size === 0) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  function reject(socket: Duplex, status: number, code: ErrorCode, message?: string): void {
    const body = JSON.stringify({ code, message: message ?? ERRORS[code].message });
    const reason = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
    // Destroy only once the answer is flushed, or the client would see a reset instead of the status.
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const path = (req.url ?? '').split('?')[0];
    if (path !== SIGNAL_PATH) return reject(socket, 404, 'ROUTE_NOT_FOUND', `No WebSocket at ${path.slice(0, 100)}.`);
    if (closing) return reject(socket, 503, 'SERVER_BUSY');
    if (!isAllowedOrigin(req.headers.origin, config.publicUrl)) return reject(socket, 403, 'ORIGIN_NOT_ALLOWED');
    const key = clientKey(upgradeClientIp(req, config.trustProxy));
    if (!upgrades.hit(key, Date.now()).allowed) return reject(socket, 429, 'RATE_LIMITED');
    const held = perAddress.get(key) ?? 0;
    if (held >= config.signalMaxConnectionsPerIp) return reject(socket, 429, 'RATE_LIMITED', 'Too many connections from this address.');
    // The seat is held from now until the TCP socket closes, whether or not the handshake succeeds.
    perAddress.set(key, held + 1);
    socket.once('close', () => {
      const n = (perAddress.get(key) ?? 1) - 1;
      if (n <= 0) perAddress.delete(key);
      else perAddress.set(key, n);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (closing) {
        ws.terminate();
        return;
      }
      const conn = new SignalConnection(ws, {
        ctx, bus, media: opts.media, capabilities, limits, ...(opts.iceServers ? { iceServers: opts.iceServers } : {}),
        onClosed: (c) => {
          connections.delete(c);
          stopHeartbeatIfIdle();
        },
      });
      connections.add(conn);
      startHeartbeat();
    });
  }

  app.server.on('upgrade', onUpgrade);

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    app.server.off('upgrade', onUpgrade);
    for (const c of connections) c.close(SIGNAL_CLOSE_CODES.goingAway, 'SERVER_SHUTDOWN');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (connections.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of [...connections]) c.drop('dropped');
    // Let the terminated sockets' close handlers send their leave commands before the rooms go.
    await new Promise((r) => setImmediate(r));
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    rooms.close();
    if (ownsBus) await bus.close();
    wss.close();
    log.debug('signal: closed');
  }

  app.addHook('preClose', close);

  return {
    stats() {
      const b = bus.stats();
      const r = rooms.stats();
      let joined = 0;
      for (const c of connections) if (c.joined) joined++;
      return {
        connections: connections.size,
        joined,
        rooms: r.rooms,
        participants: r.participants,
        addresses: perAddress.size,
        timers: (heartbeat ? 1 : 0) + b.pendingRequests,
        busSubscriptions: b.subscriptions,
        busResponders: b.responders,
      };
    },
    close,
  };
}
