/**
 * DTLS for one transport on werift's DtlsServer/DtlsClient, fed with the datagrams our socket
 * demultiplexes (RFC 7983) and sending through our socket. It ends in DTLS-SRTP keying material
 * (RFC 5764) and the peer's certificate, which must match the fingerprint from its SDP before any
 * media is accepted. Application data (SCTP) is not used yet.
 */
import { DtlsClient, DtlsServer, type DtlsSocket } from 'werift';
import { TypedEmitter } from '../util/typed-emitter';
import { certificateFingerprint, dtlsCertificate } from './dtls-certificate';
import { isSupportedSrtpProfile, SRTP_PROFILE_PREFERENCE, type SrtpProfileId, srtpMasterKeyLength, srtpMasterSaltLength } from '../srtp/srtp-profile';

/** DTLS state of a transport. */
export type DtlsState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

/** SRTP master keys from the handshake. */
export interface SrtpKeyMaterial {
  /** Negotiated profile. */
  profile: SrtpProfileId;
  /** Key/salt protecting what we send. */
  localKey: Buffer;
  /** Salt for what we send. */
  localSalt: Buffer;
  /** Key protecting what the peer sends. */
  remoteKey: Buffer;
  /** Salt for what the peer sends. */
  remoteSalt: Buffer;
}

/** Events of a DtlsSession. */
export type DtlsSessionEvents = {
  /** State changed. */
  statechange: [state: DtlsState];
  /** Handshake done AND the peer's certificate matched its fingerprint. */
  keys: [keys: SrtpKeyMaterial];
};

/** One DTLS association (see file comment). */
export class DtlsSession extends TypedEmitter<DtlsSessionEvents> {
  /** Current state. */
  state: DtlsState = 'new';
  private socket: DtlsSocket | undefined;
  private readonly adapter = {
    type: 'udp',
    address: {} as never,
    closed: false,
    onData: (_data: Buffer, _addr?: unknown): void => {},
    send: async (data: Buffer): Promise<void> => {
      if (!this.adapter.closed) this.sendDatagram(data);
    },
    close: async (): Promise<void> => {
      this.adapter.closed = true;
    },
  };
  private expected: { algorithm: string; value: string } | undefined;
  private handshakeDone = false;

  /** `send` puts a datagram on the wire towards the selected ICE tuple. */
  constructor(private readonly sendDatagram: (data: Buffer) => void) {
    super();
  }

  /** The peer's fingerprint from its SDP; verified now or when the handshake ends. */
  setRemoteFingerprint(fp: { algorithm: string; value: string }): void {
    this.expected = fp;
    if (this.handshakeDone) this.finish();
  }

  /** Starts as DTLS server (waits for the ClientHello) or client (sends it). */
  async start(role: 'server' | 'client'): Promise<void> {
    if (this.socket || this.state === 'closed') return;
    const cert = await dtlsCertificate();
    if ((this.state as DtlsState) === 'closed' || this.socket) return;
    const options = {
      cert: cert.certPem,
      key: cert.privateKey,
      signatureHash: cert.signatureHash,
      transport: this.adapter as never,
      srtpProfiles: [...SRTP_PROFILE_PREFERENCE],
      extendedMasterSecret: true,
    };
    const socket: DtlsSocket = role === 'server' ? new DtlsServer({ ...options, certificateRequest: true }) : new DtlsClient(options);
    this.socket = socket;
    this.setState('connecting');
    socket.onConnect.once(() => {
      this.handshakeDone = true;
      this.finish();
    });
    socket.onError.subscribe(() => this.fail());
    socket.onClose.subscribe(() => {
      if (this.state !== 'failed') this.close();
    });
    if (socket instanceof DtlsClient) socket.connect().catch(() => this.fail());
  }

  /** Feeds a DTLS record datagram. Never throws. */
  handle(data: Buffer): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    try {
      this.adapter.onData(data);
    } catch {
      // werift validates records itself; a broken one must not take the transport down.
    }
  }

  /** Ends the association (sends nothing: the peer learns it from ICE consent). */
  close(): void {
    if (this.state === 'closed') return;
    this.adapter.closed = true;
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.setState('closed');
  }

  private finish(): void {
    const socket = this.socket;
    if (!socket || !this.expected || this.state !== 'connecting') return;
    const der = socket.remoteCertificate;
    const actual = der ? certificateFingerprint(der, this.expected.algorithm) : undefined;
    const profile = socket.srtp.srtpProfile;
    if (!actual || actual !== this.expected.value.toUpperCase() || profile === undefined || !isSupportedSrtpProfile(profile)) {
      this.fail();
      return;
    }
    const k = socket.extractSessionKeys(srtpMasterKeyLength(profile), srtpMasterSaltLength(profile));
    this.setState('connected');
    this.emit('keys', { profile, localKey: k.localKey, localSalt: k.localSalt, remoteKey: k.remoteKey, remoteSalt: k.remoteSalt });
  }

  private fail(): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.adapter.closed = true;
    this.setState('failed');
  }

  private setState(state: DtlsState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('statechange', state);
  }
}
