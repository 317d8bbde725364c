// Watches the bytes a directory server sends, before ldapts reads them, and notices what ldapts would otherwise
// buffer without limit: one message of megabytes (ldapts keeps appending to a buffer until the whole message is
// there), a page of too many bytes and thousands of continuation references (ldapts keeps all of a page until its
// SearchResultDone).
// It only frames the LDAPMessage envelopes (RFC 4511 §4.1.1: SEQUENCE, length, messageID, protocolOp tag); it
// never parses their content, and stops watching at the first byte that is not an envelope (ldapts reports that).
import type { LimitExceeded } from './errors.js';

/** [APPLICATION 4] SearchResultEntry, [APPLICATION 5] SearchResultDone, [APPLICATION 19] SearchResultReference. */
const SEARCH_RESULT_ENTRY = 0x64;
const SEARCH_RESULT_DONE = 0x65;
const SEARCH_RESULT_REFERENCE = 0x73;
/** ldapts keeps a whole page until its SearchResultDone: a page may hold this many times the message limit. */
export const PAGE_BYTES_PER_MESSAGE_LIMIT = 16;
/** Enough of a message's body to hold its messageID (an INTEGER of at most 4 bytes) and the protocolOp tag. */
const HEAD_BYTES = 7;

export interface WireLimits {
  maxMessageBytes: number;
  maxReferences: number;
}

/** The state shared by every socket of one connection (the plain one and, after StartTLS, the TLS one). */
export class WireGuard {
  /** References in the current page: ldapts holds them all until its SearchResultDone. */
  references = 0;
  exceeded: LimitExceeded | undefined;
  /** Bytes of entries and references since the last SearchResultDone: what ldapts holds for the current page. */
  private pageBytes = 0;

  constructor(readonly limits: WireLimits) {}

  /** A framer for one socket's byte stream; it returns false once a limit is passed (the caller cuts the connection). */
  framer(): (chunk: Buffer) => boolean {
    let length = 0;
    const maxPageBytes = this.limits.maxMessageBytes * PAGE_BYTES_PER_MESSAGE_LIMIT;
    const framer = new EnvelopeFramer(
      (declared) => {
        if (declared !== undefined && declared <= this.limits.maxMessageBytes) {
          length = declared;
          return true;
        }
        this.exceeded ??= { limit: 'message-size', declaredBytes: declared, maxBytes: this.limits.maxMessageBytes };
        return false;
      },
      (op) => {
        if (op === SEARCH_RESULT_DONE) {
          // Per page, not per connection: AD sends a few references with every page of a subtree search, so a
          // per-connection count would cut a long, healthy scan; --max-pages bounds the number of pages.
          this.pageBytes = 0;
          this.references = 0;
        }
        if (op !== SEARCH_RESULT_ENTRY && op !== SEARCH_RESULT_REFERENCE) return true;
        this.pageBytes += length;
        if (this.pageBytes > maxPageBytes) {
          this.exceeded ??= { limit: 'page-size', maxBytes: maxPageBytes };
          return false;
        }
        if (op !== SEARCH_RESULT_REFERENCE) return true;
        this.references++;
        if (this.references <= this.limits.maxReferences) return true;
        this.exceeded ??= { limit: 'references', maxReferences: this.limits.maxReferences };
        return false;
      },
    );
    return (chunk) => framer.feed(chunk);
  }
}

/** Splits a byte stream into LDAPMessage envelopes, across chunk boundaries, with constant memory. */
export class EnvelopeFramer {
  private header: number[] = [];
  /** Body bytes of the current message still to come; 0 while reading a header. */
  private remaining = 0;
  private head: number[] = [];
  private classified = true;
  private stopped = false;
  private failed = false;

  /**
   * `onLength`: each message's declared length (undefined when the length does not fit in 4 bytes or is the
   * indefinite form, which LDAP forbids); `onOp`: its protocolOp tag. Either returning false stops the framer.
   */
  constructor(
    private readonly onLength: (length: number | undefined) => boolean,
    private readonly onOp: (op: number) => boolean,
  ) {}

  /** False once stopped by a callback; true while the stream is within limits (or no longer an LDAP stream). */
  feed(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length && !this.stopped) {
      if (this.remaining === 0) {
        this.header.push(chunk[i++]!);
        if (this.header[0] !== 0x30) {
          // Not an LDAPMessage: ldapts' parser reports the garbage; nothing more to frame.
          this.stopped = true;
          return true;
        }
        if (this.header.length < 2) continue;
        const first = this.header[1]!;
        let length: number | undefined = first;
        if (first >= 0x80) {
          const octets = first & 0x7f;
          if (octets === 0 || octets > 4) length = undefined;
          else if (this.header.length < 2 + octets) continue;
          else length = this.header.slice(2).reduce((total, byte) => total * 256 + byte, 0);
        }
        this.header = [];
        if (!this.onLength(length) || length === undefined) return this.stop();
        this.remaining = length;
        this.head = [];
        this.classified = length === 0;
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (!this.classified) {
        for (let k = 0; k < take && this.head.length < HEAD_BYTES; k++) this.head.push(chunk[i + k]!);
        const op = opOf(this.head);
        if (op !== undefined || this.head.length >= HEAD_BYTES || take === this.remaining) {
          this.classified = true;
          if (op !== undefined && !this.onOp(op)) return this.stop();
        }
      }
      this.remaining -= take;
      i += take;
    }
    return !this.failed;
  }

  private stop(): false {
    this.stopped = true;
    this.failed = true;
    return false;
  }
}

/** The protocolOp tag after the messageID INTEGER, or undefined while not enough of the body is known. */
function opOf(head: readonly number[]): number | undefined {
  if (head[0] !== 0x02) return undefined;
  const idLength = head[1];
  if (idLength === undefined || idLength < 1 || idLength > 4) return undefined;
  return head[2 + idLength];
}
