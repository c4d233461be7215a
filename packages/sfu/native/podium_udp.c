/*
 * podium_udp: the SFU's batched SRTP-protect-and-send step, in native code.
 *
 * A forwarded packet costs the SFU, per subscriber, one SRTP protection (AES-128-CM + HMAC-SHA1-80)
 * and one UDP send. In JavaScript the send goes through node:dgram (a request object, argument
 * checks and a C++ call per datagram) and the keystream through node:crypto (a new buffer per
 * window). Here JavaScript keeps every decision and all SRTP state (which packet, which SSRC, the
 * rollover counter, where to send); it copies the clear packet into an arena slot and writes one
 * row of a table. At the end of the fan-out, one call protects and sends every row.
 *
 * Row layout (int32, ROW_INTS per row): see the R_* indexes below. Status written back per row:
 * 0 sent, -errno when sendto failed (the caller retries EAGAIN/ENOBUFS through node:dgram),
 * -EINVAL for a bad row (nothing sent).
 *
 * SRTP contexts (session keys of one outbound SRTP session) live in a per-thread table (N-API
 * instance data: each worker thread has its own) and are referred to by index.
 * OpenSSL comes from the Node binary itself (its exported libcrypto symbols).
 *
 * receiveBatch (below) is the other direction: recvmmsg over many sockets into one arena.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum {
  R_FD = 0,      /* socket descriptor */
  R_OFFSET,      /* packet start in the arena */
  R_LENGTH,      /* clear RTP length (header + payload) */
  R_HEADER,      /* RTP header length (with CSRCs and extensions) */
  R_CONTEXT,     /* SRTP context index, or -1: the slot is already protected (send as is) */
  R_ROC,         /* rollover counter of this packet (SRTP index = ROC * 65536 + seq) */
  R_PORT,        /* destination port */
  R_FAMILY,      /* 4 or 6 */
  R_ADDR,        /* 4 words: IPv4 in the first (network order), or the IPv6 address */
  R_STATUS = R_ADDR + 4,
  R_SOURCE,      /* registered source buffer the packet is read from at R_SOURCE_OFFSET, or -1: already in the arena at R_OFFSET */
  R_SOURCE_OFFSET,
  ROW_INTS = 16
};

#define TAG_LENGTH 10
#define MAX_CONTEXTS 65536
#define MAX_SOURCES 65536
#define MAX_PACKET 2048

typedef struct {
  napi_ref ref; /* keeps the buffer (and so its memory) alive while registered */
  uint8_t *data;
  size_t length;
} source_buffer;

typedef struct {
  EVP_CIPHER_CTX *cipher; /* AES-128-CTR with the session key; the IV is set per packet */
  uint8_t salt[14];
  SHA_CTX inner; /* HMAC key pad states, compressed once */
  SHA_CTX outer;
} srtp_context;

typedef struct {
  srtp_context *contexts[MAX_CONTEXTS];
  int next_free_hint;
  int live;
  source_buffer sources[MAX_SOURCES];
  int next_source_hint;
  int live_sources;
} instance;

static void throw_error(napi_env env, const char *msg) { napi_throw_error(env, "PODIUM_UDP", msg); }

static instance *get_instance(napi_env env) {
  instance *inst = NULL;
  napi_get_instance_data(env, (void **)&inst);
  return inst;
}

static void free_context(srtp_context *c) {
  if (!c) return;
  if (c->cipher) EVP_CIPHER_CTX_free(c->cipher);
  OPENSSL_cleanse(c, sizeof *c);
  free(c);
}

static void finalize_instance(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  instance *inst = data;
  for (int i = 0; i < MAX_CONTEXTS; i++) free_context(inst->contexts[i]);
  for (int i = 0; i < MAX_SOURCES; i++)
    if (inst->sources[i].ref) napi_delete_reference(env, inst->sources[i].ref);
  free(inst);
}

static napi_value int_value(napi_env env, int32_t n) {
  napi_value out;
  napi_create_int32(env, n, &out);
  return out;
}

/* The first argument as an index, or -1 when there is none or it is not a number. */
static int32_t index_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t index = -1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &index) != napi_ok) return -1;
  return index;
}

/* The first free slot of a table of `size`, searching from `hint` round the end; -1 when full. */
static int free_slot(int hint, int size, int (*taken)(const instance *, int), const instance *inst) {
  for (int i = 0; i < size; i++) {
    int at = (hint + i) % size;
    if (!taken(inst, at)) return at;
  }
  return -1;
}

static int context_taken(const instance *inst, int at) { return inst->contexts[at] != NULL; }
static int source_taken(const instance *inst, int at) { return inst->sources[at].ref != NULL; }

static int buffer_arg(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  if (!is_buffer) return 0;
  return napi_get_buffer_info(env, v, (void **)data, len) == napi_ok;
}

/* createContext(rtpKey: Buffer(16), rtpSalt: Buffer(14), authKey: Buffer(20)) -> index */
static napi_value create_context(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *key, *salt, *auth;
  size_t key_len, salt_len, auth_len;
  if (argc < 3 || !buffer_arg(env, argv[0], &key, &key_len) || !buffer_arg(env, argv[1], &salt, &salt_len) ||
      !buffer_arg(env, argv[2], &auth, &auth_len) || key_len != 16 || salt_len != 14 || auth_len == 0 || auth_len > 64) {
    throw_error(env, "createContext(key16, salt14, authKey) expects Buffers of 16, 14 and 1..64 bytes");
    return NULL;
  }
  instance *inst = get_instance(env);
  int slot = free_slot(inst->next_free_hint, MAX_CONTEXTS, context_taken, inst);
  if (slot < 0) {
    throw_error(env, "too many SRTP contexts");
    return NULL;
  }
  srtp_context *c = calloc(1, sizeof *c);
  if (!c || !(c->cipher = EVP_CIPHER_CTX_new()) || EVP_EncryptInit_ex(c->cipher, EVP_aes_128_ctr(), NULL, key, NULL) != 1) {
    free_context(c);
    throw_error(env, "cannot set up AES-128-CTR");
    return NULL;
  }
  memcpy(c->salt, salt, 14);
  uint8_t pad[64];
  memset(pad, 0, sizeof pad);
  memcpy(pad, auth, auth_len);
  for (int i = 0; i < 64; i++) pad[i] ^= 0x36;
  SHA1_Init(&c->inner);
  SHA1_Update(&c->inner, pad, 64);
  for (int i = 0; i < 64; i++) pad[i] ^= 0x36 ^ 0x5c;
  SHA1_Init(&c->outer);
  SHA1_Update(&c->outer, pad, 64);
  OPENSSL_cleanse(pad, sizeof pad);
  inst->contexts[slot] = c;
  inst->next_free_hint = (slot + 1) % MAX_CONTEXTS;
  inst->live++;
  return int_value(env, slot);
}

/* releaseContext(index) */
static napi_value release_context(napi_env env, napi_callback_info info) {
  int32_t slot = index_arg(env, info);
  instance *inst = get_instance(env);
  if (slot >= 0 && slot < MAX_CONTEXTS && inst->contexts[slot]) {
    free_context(inst->contexts[slot]);
    inst->contexts[slot] = NULL;
    inst->live--;
  }
  return NULL;
}

/* liveContexts() -> number (leak checks in tests) */
static napi_value live_contexts(napi_env env, napi_callback_info info) {
  (void)info;
  return int_value(env, get_instance(env)->live);
}

/*
 * Protects the clear packet `src` (length bytes, header bytes of RTP header) into `dst`:
 * header copied, payload encrypted with AES-CM (RFC 3711 §4.1.1: IV = (salt << 16) XOR
 * (SSRC << 64) XOR (index << 16); OpenSSL's AES-128-CTR from that IV), then the HMAC-SHA1-80 tag
 * over header, encrypted payload and ROC. src and dst may be the same.
 * (Measured here: re-setting the CTR IV per packet costs less than encrypting counter blocks in
 * ECB mode and XORing them ourselves.)
 */
static int protect(srtp_context *c, const uint8_t *src, uint8_t *dst, uint32_t length, uint32_t header, uint32_t roc) {
  if (length > MAX_PACKET - TAG_LENGTH) return -1;
  if (dst != src) memcpy(dst, src, header);
  if (length > header) {
    uint8_t iv[16];
    memcpy(iv, c->salt, 14);
    iv[14] = iv[15] = 0;
    for (int i = 0; i < 4; i++) iv[4 + i] ^= src[8 + i]; /* SSRC */
    iv[8] ^= roc >> 24;
    iv[9] ^= roc >> 16;
    iv[10] ^= roc >> 8;
    iv[11] ^= roc;
    iv[12] ^= src[2]; /* sequence number */
    iv[13] ^= src[3];
    int n = 0;
    if (EVP_EncryptInit_ex(c->cipher, NULL, NULL, NULL, iv) != 1) return -1;
    if (EVP_EncryptUpdate(c->cipher, dst + header, &n, src + header, (int)(length - header)) != 1) return -1;
  }
  uint8_t roc_bytes[4] = {roc >> 24, roc >> 16, roc >> 8, roc};
  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA_CTX h = c->inner;
  SHA1_Update(&h, dst, length);
  SHA1_Update(&h, roc_bytes, 4);
  SHA1_Final(digest, &h);
  h = c->outer;
  SHA1_Update(&h, digest, SHA_DIGEST_LENGTH);
  SHA1_Final(digest, &h);
  memcpy(dst + length, digest, TAG_LENGTH);
  return (int)length + TAG_LENGTH;
}

/* registerSource(buffer: Buffer) -> index: rows may read packets from it (R_SOURCE) until released. */
static napi_value register_source(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t *data;
  size_t len;
  if (argc < 1 || !buffer_arg(env, argv[0], &data, &len) || len == 0) {
    throw_error(env, "registerSource(buffer) expects a non-empty Buffer");
    return NULL;
  }
  instance *inst = get_instance(env);
  int slot = free_slot(inst->next_source_hint, MAX_SOURCES, source_taken, inst);
  if (slot < 0) {
    throw_error(env, "too many source buffers");
    return NULL;
  }
  if (napi_create_reference(env, argv[0], 1, &inst->sources[slot].ref) != napi_ok) {
    throw_error(env, "cannot reference the source buffer");
    return NULL;
  }
  inst->sources[slot].data = data;
  inst->sources[slot].length = len;
  inst->next_source_hint = (slot + 1) % MAX_SOURCES;
  inst->live_sources++;
  return int_value(env, slot);
}

/* releaseSource(index): rows still naming it are refused (-EINVAL). */
static napi_value release_source(napi_env env, napi_callback_info info) {
  int32_t slot = index_arg(env, info);
  instance *inst = get_instance(env);
  if (slot >= 0 && slot < MAX_SOURCES && inst->sources[slot].ref) {
    napi_delete_reference(env, inst->sources[slot].ref);
    memset(&inst->sources[slot], 0, sizeof inst->sources[slot]);
    inst->live_sources--;
  }
  return NULL;
}

/* liveSources() -> number (leak checks in tests) */
static napi_value live_sources(napi_env env, napi_callback_info info) {
  (void)info;
  return int_value(env, get_instance(env)->live_sources);
}

/* sendBatch(rows: Int32Array, arena: ArrayBuffer, count) -> rows sent */
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type type;
  size_t row_len = 0, arena_len = 0, byte_offset = 0;
  void *row_data = NULL, *arena = NULL;
  napi_value row_buffer;
  uint32_t count = 0;
  bool is_typed = false, is_ab = false;
  if (argc >= 3) {
    napi_is_typedarray(env, argv[0], &is_typed);
    napi_is_arraybuffer(env, argv[1], &is_ab);
  }
  if (!is_typed || !is_ab || napi_get_typedarray_info(env, argv[0], &type, &row_len, &row_data, &row_buffer, &byte_offset) != napi_ok ||
      type != napi_int32_array || napi_get_arraybuffer_info(env, argv[1], &arena, &arena_len) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &count) != napi_ok || (size_t)count * ROW_INTS > row_len) {
    throw_error(env, "sendBatch(rows: Int32Array, arena: ArrayBuffer, count) got bad arguments");
    return NULL;
  }
  instance *inst = get_instance(env);
  int32_t *rows = row_data;
  int sent = 0;
  for (uint32_t i = 0; i < count; i++) {
    int32_t *r = rows + (size_t)i * ROW_INTS;
    uint32_t offset = (uint32_t)r[R_OFFSET], length = (uint32_t)r[R_LENGTH], header = (uint32_t)r[R_HEADER];
    int32_t ctx = r[R_CONTEXT], source = r[R_SOURCE];
    size_t room = ctx >= 0 ? (size_t)length + TAG_LENGTH : length;
    const uint8_t *from = NULL;
    if (source >= 0 && source < MAX_SOURCES && inst->sources[source].ref && r[R_SOURCE_OFFSET] >= 0 &&
        (size_t)(uint32_t)r[R_SOURCE_OFFSET] + length <= inst->sources[source].length)
      from = inst->sources[source].data + (uint32_t)r[R_SOURCE_OFFSET];
    if (r[R_OFFSET] < 0 || r[R_LENGTH] < 12 || (size_t)offset + room > arena_len || header > length || ctx >= MAX_CONTEXTS ||
        (ctx >= 0 && !inst->contexts[ctx]) || (source >= 0 && (!from || ctx < 0))) {
      r[R_STATUS] = -EINVAL;
      continue;
    }
    uint8_t *p = (uint8_t *)arena + offset;
    int n = (int)length;
    if (ctx >= 0 && (n = protect(inst->contexts[ctx], from ? from : p, p, length, header, (uint32_t)r[R_ROC])) < 0) {
      r[R_STATUS] = -EINVAL;
      continue;
    }
    r[R_SOURCE] = -1;
    ssize_t w;
    if (r[R_FAMILY] == 6) {
      struct sockaddr_in6 sa;
      memset(&sa, 0, sizeof sa);
      sa.sin6_family = AF_INET6;
      sa.sin6_port = htons((uint16_t)r[R_PORT]);
      memcpy(&sa.sin6_addr, &r[R_ADDR], 16);
      w = sendto(r[R_FD], p, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
    } else {
      struct sockaddr_in sa;
      memset(&sa, 0, sizeof sa);
      sa.sin_family = AF_INET;
      sa.sin_port = htons((uint16_t)r[R_PORT]);
      memcpy(&sa.sin_addr, &r[R_ADDR], 4);
      w = sendto(r[R_FD], p, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof sa);
    }
    /* The row's length becomes the bytes on the wire (the caller's retry sends exactly those). */
    r[R_LENGTH] = n;
    r[R_CONTEXT] = -1;
    if (w < 0) r[R_STATUS] = -errno;
    else {
      r[R_STATUS] = 0;
      sent++;
    }
  }
  return int_value(env, sent);
}

/*
 * receiveBatch(fds: Int32Array, fdCount, rows: Int32Array, arena: ArrayBuffer) -> rows filled
 *
 * Reads what is waiting on each (non-blocking) socket with recvmmsg, without waiting, into
 * consecutive SLOT-byte slots of the arena; one row of RECV_ROW_INTS per datagram: index into
 * fds, offset in the arena, length (truncated datagrams are dropped). Stops when the rows or the
 * arena are full; what is left stays in the kernel for the next call. Used by the benchmark's
 * subscriber bots, which poll their sockets on a timer instead of waking for every datagram.
 */
#define RECV_ROW_INTS 4
#define RECV_SLOT 2048
#define RECV_BURST 64

static napi_value receive_batch(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type fd_type, row_type;
  size_t fd_len = 0, row_len = 0, arena_len = 0, unused_offset;
  void *fd_data = NULL, *row_data = NULL, *arena = NULL;
  napi_value unused_buffer;
  uint32_t fd_count = 0;
  bool a = false, b = false, c = false;
  if (argc >= 4) {
    napi_is_typedarray(env, argv[0], &a);
    napi_is_typedarray(env, argv[2], &b);
    napi_is_arraybuffer(env, argv[3], &c);
  }
  if (!a || !b || !c || napi_get_typedarray_info(env, argv[0], &fd_type, &fd_len, &fd_data, &unused_buffer, &unused_offset) != napi_ok ||
      napi_get_typedarray_info(env, argv[2], &row_type, &row_len, &row_data, &unused_buffer, &unused_offset) != napi_ok ||
      fd_type != napi_int32_array || row_type != napi_int32_array || napi_get_arraybuffer_info(env, argv[3], &arena, &arena_len) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &fd_count) != napi_ok || fd_count > fd_len) {
    throw_error(env, "receiveBatch(fds: Int32Array, fdCount, rows: Int32Array, arena: ArrayBuffer) got bad arguments");
    return NULL;
  }
  int32_t *fds = fd_data, *rows = row_data;
  size_t max_rows = row_len / RECV_ROW_INTS, slots = arena_len / RECV_SLOT;
  if (slots < max_rows) max_rows = slots;
  size_t filled = 0;
  struct mmsghdr msgs[RECV_BURST];
  struct iovec iov[RECV_BURST];
  for (uint32_t f = 0; f < fd_count && filled < max_rows; f++) {
    for (;;) {
      size_t want = max_rows - filled;
      if (want == 0) break;
      if (want > RECV_BURST) want = RECV_BURST;
      for (size_t i = 0; i < want; i++) {
        iov[i].iov_base = (uint8_t *)arena + (filled + i) * RECV_SLOT;
        iov[i].iov_len = RECV_SLOT;
        memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int n = recvmmsg(fds[f], msgs, (unsigned)want, MSG_DONTWAIT, NULL);
      if (n <= 0) break;
      size_t slot = filled;
      for (int i = 0; i < n; i++) {
        if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
        int32_t *r = rows + filled * RECV_ROW_INTS;
        if (slot + i != filled) memmove((uint8_t *)arena + filled * RECV_SLOT, iov[i].iov_base, msgs[i].msg_len);
        r[0] = (int32_t)f;
        r[1] = (int32_t)(filled * RECV_SLOT);
        r[2] = (int32_t)msgs[i].msg_len;
        r[3] = 0;
        filled++;
      }
      if ((size_t)n < want) break;
    }
  }
  return int_value(env, (int32_t)filled);
}

NAPI_MODULE_INIT() {
  instance *inst = calloc(1, sizeof *inst);
  if (!inst || napi_set_instance_data(env, inst, finalize_instance, NULL) != napi_ok) {
    free(inst);
    throw_error(env, "podium_udp: out of memory");
    return NULL;
  }
  napi_property_descriptor props[] = {
    {"createContext", NULL, create_context, NULL, NULL, NULL, napi_default, NULL},
    {"releaseContext", NULL, release_context, NULL, NULL, NULL, napi_default, NULL},
    {"liveContexts", NULL, live_contexts, NULL, NULL, NULL, napi_default, NULL},
    {"sendBatch", NULL, send_batch, NULL, NULL, NULL, napi_default, NULL},
    {"receiveBatch", NULL, receive_batch, NULL, NULL, NULL, napi_default, NULL},
    {"registerSource", NULL, register_source, NULL, NULL, NULL, napi_default, NULL},
    {"releaseSource", NULL, release_source, NULL, NULL, NULL, napi_default, NULL},
    {"liveSources", NULL, live_sources, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  napi_set_named_property(env, exports, "ROW_INTS", int_value(env, ROW_INTS));
  napi_set_named_property(env, exports, "RECV_ROW_INTS", int_value(env, RECV_ROW_INTS));
  napi_set_named_property(env, exports, "RECV_SLOT", int_value(env, RECV_SLOT));
  return exports;
}
