import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Options of the capturing SMTP server. */
export interface SmtpCaptureOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (they are put into `url`). */
  auth?: { user: string; pass: string };
  /** Refuse a recipient with a permanent SMTP error when this returns true. */
  rejectRecipient?: (address: string) => boolean;
}

/** A real SMTP server on a loopback port that keeps every message it accepts, parsed. */
export interface SmtpCapture {
  /** `smtp://[user:pass@]127.0.0.1:PORT` — what `config.smtpUrl` should be. */
  url: string;
  /** Every accepted message, in arrival order. */
  messages: ParsedMail[];
  /** Resolves with the first message (already received or arriving later) matching `predicate`. */
  waitFor(predicate: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  /** Stops the server, dropping open client connections quickly. */
  close(): Promise<void>;
}

/** Starts an SMTP server (no TLS, STARTTLS disabled) that parses and keeps what it receives. */
export async function startSmtpCapture(opts: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const messages: ParsedMail[] = [];
  const arrivals = new EventEmitter();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    // Clients of tests keep pooled connections open; do not wait long for them on close.
    closeTimeout: 200,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (opts.rejectRecipient?.(address.address)) {
        return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      }
      return callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages.push(parsed);
          arrivals.emit('message', parsed);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  server.on('error', () => {
    // A client dropping its connection is not a failure of the test server.
  });
  await new Promise<void>((resolve, reject) => {
    const net = server.listen(0, '127.0.0.1', () => resolve());
    net.once('error', reject);
  });
  const { port } = server.server.address() as AddressInfo;
  const credentials = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : '';

  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ParsedMail>((resolve, reject) => {
        const onMessage = (m: ParsedMail) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(m);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          reject(new Error(`no matching email within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
