/*
 * fastbulk: an OpenSearch `_bulk` endpoint built to be much faster than any
 * sink it measures, plus the load generator that shows its own ceiling.
 *
 *   fastbulk serve   [--host 127.0.0.1] [--port 0] [--latency-field NAME]
 *   fastbulk loadgen --port P --doc FILE [--items 1000] [--conns 8]
 *                    [--seconds 5] [--pipeline 1]
 *
 * `serve` prints "listening PORT" once bound, then runs one epoll loop on one
 * thread (HTTP/1.1 keep-alive, pipelined requests, reads split anywhere,
 * Content-Length bodies, `Expect: 100-continue`; chunked bodies get 411).
 *
 * What it keeps of OpenSearch: per index, per `_id`, the stored version and
 * whether the document is live (documents themselves are not stored: their
 * line is only checked to be an object). `_bulk` answers per item with
 * `index`/`create`/`delete` semantics, internal and `version_type=external`
 * versions (409 `version_conflict_engine_exception` when the given version is
 * <= the stored one, deletes included, tombstones remembered), 201 created /
 * 200 updated / 200 deleted / 404 not_found, and the top-level `errors` flag.
 * `filter_path` on `_bulk`: the include filters a bulk client uses (`took`,
 * `errors`, `items`, `items.*`, `items.*.<field>`, and `error`/`status`,
 * which a 200 answer does not hold) are honoured as OpenSearch does; any
 * other filter is answered 400, never ignored.
 * Also: `GET /`, `HEAD /`, `/_cluster/health`, `PUT|HEAD|DELETE /{index}`,
 * `/{index}/_refresh`, `/_refresh`, `/{index}/_count`.
 *
 * Bench-only routes: `GET /_bench/stats` (counters and first/last item times),
 * `GET /_bench/latency` (percentiles of now - NAME for every indexed document
 * whose line holds `"NAME":<µs since epoch>` or an ISO-8601 UTC string),
 * `POST /_bench/reset` (forget everything).
 *
 * `loadgen` opens N keep-alive connections and sends, on each, a prebuilt
 * bulk body of ITEMS `index` operations of the document in FILE (disjoint ids
 * per connection, external versions rewritten in place so every request is a
 * real update), PIPELINE requests in flight per connection; prints one JSON line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADER_BYTES (64 * 1024)
#define MAX_BODY_BYTES ((size_t)1 << 30)
#define READ_CHUNK (256 * 1024)

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory (%zu bytes)", n);
    return q;
}

static uint64_t now_us(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---------------------------------------------------------------- buffers */

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static void buf_reserve(Buf *b, size_t extra) {
    if (b->len + extra <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

static void buf_put(Buf *b, const void *p, size_t n) {
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_printf(Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        buf_put(b, tmp, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void buf_i64(Buf *b, int64_t v) {
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* -------------------------------------------------------------- the store */

typedef struct {
    char name[128];
    size_t name_len;
    int64_t live;
    int exists;
} Index;

#define MAX_INDICES 256
static Index indices[MAX_INDICES];
static int index_count;

static Index *index_find(const char *name, size_t len, int create) {
    for (int i = 0; i < index_count; i++)
        if (indices[i].exists && indices[i].name_len == len && memcmp(indices[i].name, name, len) == 0)
            return &indices[i];
    if (!create || len == 0 || len >= sizeof indices[0].name) return NULL;
    for (int i = 0; i < index_count; i++)
        if (!indices[i].exists) {
            memset(&indices[i], 0, sizeof indices[i]);
            memcpy(indices[i].name, name, len);
            indices[i].name_len = len;
            indices[i].exists = 1;
            return &indices[i];
        }
    if (index_count == MAX_INDICES) return NULL;
    Index *ix = &indices[index_count++];
    memset(ix, 0, sizeof *ix);
    memcpy(ix->name, name, len);
    ix->name_len = len;
    ix->exists = 1;
    return ix;
}

/* Open addressing; a slot is (hash, key in the arena, version, live). */
typedef struct {
    uint64_t hash; /* 0 = empty */
    uint64_t key_off;
    uint32_t key_len;
    uint8_t live;
    uint8_t known; /* a version is stored (a live document or a tombstone) */
    int64_t version;
    Index *index;
} Slot;

static Slot *slots;
static size_t slot_cap, slot_used;
static Buf arena;
static int64_t seq_no;

static uint64_t hash_bytes(const char *p, size_t n, uint64_t h) {
    /* FNV-1a, 8 bytes at a time folded; good enough for ids. */
    h ^= 0xcbf29ce484222325ull;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    while (n--) h = (h ^ (uint8_t)*p++) * 0x100000001b3ull;
    h ^= h >> 32;
    return h ? h : 1;
}

static void store_grow(void) {
    size_t cap = slot_cap ? slot_cap * 2 : (1u << 16);
    Slot *fresh = calloc(cap, sizeof(Slot));
    if (!fresh) die("out of memory");
    for (size_t i = 0; i < slot_cap; i++) {
        if (!slots[i].hash) continue;
        size_t j = slots[i].hash & (cap - 1);
        while (fresh[j].hash) j = (j + 1) & (cap - 1);
        fresh[j] = slots[i];
    }
    free(slots);
    slots = fresh;
    slot_cap = cap;
}

/* Finds the slot of (index, id); with `create`, claims an empty one. */
static Slot *store_lookup(Index *ix, const char *id, size_t id_len, int create) {
    if (create && (slot_used + 1) * 10 >= slot_cap * 7) store_grow();
    if (!slot_cap) return NULL;
    uint64_t h = hash_bytes(id, id_len, (uint64_t)(uintptr_t)ix);
    size_t j = h & (slot_cap - 1);
    while (slots[j].hash) {
        Slot *s = &slots[j];
        if (s->hash == h && s->index == ix && s->key_len == id_len && memcmp(arena.data + s->key_off, id, id_len) == 0)
            return s;
        j = (j + 1) & (slot_cap - 1);
    }
    if (!create) return NULL;
    Slot *s = &slots[j];
    s->hash = h;
    s->index = ix;
    s->key_off = arena.len;
    s->key_len = (uint32_t)id_len;
    s->live = 0;
    s->known = 0;
    s->version = 0;
    buf_put(&arena, id, id_len);
    slot_used++;
    return s;
}

static void store_drop_index(Index *ix) {
    /* Rebuild without the index's documents (rare: DELETE /index). */
    Slot *old = slots;
    size_t old_cap = slot_cap;
    slots = NULL;
    slot_cap = 0;
    slot_used = 0;
    store_grow();
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].hash || old[i].index == ix) continue;
        if ((slot_used + 1) * 10 >= slot_cap * 7) store_grow();
        size_t j = old[i].hash & (slot_cap - 1);
        while (slots[j].hash) j = (j + 1) & (slot_cap - 1);
        slots[j] = old[i];
        slot_used++;
    }
    free(old);
    ix->exists = 0;
}

static void store_reset(void) {
    free(slots);
    slots = NULL;
    slot_cap = slot_used = 0;
    arena.len = 0;
    index_count = 0;
    seq_no = 0;
}

/* ------------------------------------------------------------------ stats */

static struct {
    uint64_t requests, bulk_requests, items, index_ops, create_ops, delete_ops;
    uint64_t created, updated, deleted, not_found, conflicts, item_errors;
    uint64_t bytes_in, first_bulk_items;
    uint64_t first_item_wall_us, last_item_wall_us;
    uint64_t first_item_mono_us, last_item_mono_us;
} stats;

static const char *latency_field;
static size_t latency_key_len;
static char latency_key[160];
static uint32_t *latencies; /* µs */
static size_t latency_len, latency_cap;
static uint64_t latency_unparsed;

/* Days from civil (Howard Hinnant's algorithm), for ISO timestamps. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

/* `"2024-01-02T03:04:05.123456Z"` (fraction optional) → µs since the epoch. */
static int parse_iso_us(const char *p, const char *end, int64_t *out) {
    int y, mo, d, h, mi, s;
    if (end - p < 19 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' || p[16] != ':')
        return 0;
    if (!digits(p, 4, &y) || !digits(p + 5, 2, &mo) || !digits(p + 8, 2, &d) || !digits(p + 11, 2, &h) ||
        !digits(p + 14, 2, &mi) || !digits(p + 17, 2, &s))
        return 0;
    int64_t us = 0;
    const char *q = p + 19;
    if (q < end && *q == '.') {
        int64_t scale = 100000;
        for (q++; q < end && *q >= '0' && *q <= '9'; q++) {
            us += (*q - '0') * scale;
            scale /= 10;
        }
    }
    *out = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) * 60 * 1000000ll + s * 1000000ll + us;
    return 1;
}

static void record_latency(const char *doc, size_t len, uint64_t wall_us) {
    const char *hit = memmem(doc, len, latency_key, latency_key_len);
    if (!hit) {
        latency_unparsed++;
        return;
    }
    const char *p = hit + latency_key_len, *end = doc + len;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    int64_t sent = 0;
    if (p < end && *p == '"') {
        if (!parse_iso_us(p + 1, end, &sent)) {
            latency_unparsed++;
            return;
        }
    } else {
        int any = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            sent = sent * 10 + (*p++ - '0');
            any = 1;
        }
        if (!any) {
            latency_unparsed++;
            return;
        }
    }
    int64_t delta = (int64_t)wall_us - sent;
    if (delta < 0) delta = 0;
    if (delta > UINT32_MAX) delta = UINT32_MAX;
    if (latency_len == latency_cap) {
        latency_cap = latency_cap ? latency_cap * 2 : 65536;
        latencies = xrealloc(latencies, latency_cap * sizeof *latencies);
    }
    latencies[latency_len++] = (uint32_t)delta;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------- responses */

static Buf scratch; /* a response body being built */

static void http_response(Buf *out, int status, const char *reason, const char *body, size_t body_len, int head_only,
                          int closing) {
    buf_printf(out,
               "HTTP/1.1 %d %s\r\ncontent-type: application/json; charset=UTF-8\r\ncontent-length: %zu\r\n%s\r\n",
               status, reason, body_len, closing ? "connection: close\r\n" : "");
    if (!head_only) buf_put(out, body, body_len);
}

static void json_error(Buf *out, int status, const char *reason, const char *type, const char *why, int head_only,
                       int closing) {
    Buf b = {0};
    buf_printf(&b, "{\"error\":{\"root_cause\":[{\"type\":\"%s\",\"reason\":\"%s\"}],\"type\":\"%s\",\"reason\":\"%s\"},\"status\":%d}",
               type, why, type, why, status);
    http_response(out, status, reason, b.data, b.len, head_only, closing);
    free(b.data);
}

/* ------------------------------------------------------ action-line parse */

typedef struct {
    const char *p, *end;
} Cursor;

static void skip_ws(Cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n')) c->p++;
}

static int expect_ch(Cursor *c, char ch) {
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* A JSON string's raw (still escaped) contents. */
static int read_string(Cursor *c, const char **s, size_t *n) {
    skip_ws(c);
    if (c->p >= c->end || *c->p != '"') return 0;
    const char *start = ++c->p;
    while (c->p < c->end && *c->p != '"') {
        if (*c->p == '\\') c->p++;
        c->p++;
    }
    if (c->p >= c->end) return 0;
    *s = start;
    *n = (size_t)(c->p - start);
    c->p++;
    return 1;
}

/* Skips any JSON scalar or (flat or nested) container value. */
static int skip_value(Cursor *c) {
    skip_ws(c);
    if (c->p >= c->end) return 0;
    if (*c->p == '"') {
        const char *s;
        size_t n;
        return read_string(c, &s, &n);
    }
    if (*c->p == '{' || *c->p == '[') {
        int depth = 0;
        while (c->p < c->end) {
            char ch = *c->p;
            if (ch == '"') {
                const char *s;
                size_t n;
                if (!read_string(c, &s, &n)) return 0;
                continue;
            }
            if (ch == '{' || ch == '[') depth++;
            if (ch == '}' || ch == ']') {
                depth--;
                if (depth == 0) {
                    c->p++;
                    return 1;
                }
            }
            c->p++;
        }
        return 0;
    }
    const char *start = c->p;
    while (c->p < c->end && *c->p != ',' && *c->p != '}' && *c->p != ']' && *c->p != ' ' && *c->p != '\n') c->p++;
    return c->p > start;
}

enum { ACT_INDEX, ACT_CREATE, ACT_DELETE, ACT_UPDATE };
static const char *action_names[] = {"index", "create", "delete", "update"};

typedef struct {
    int action;
    const char *index, *id;
    size_t index_len, id_len;
    int has_version, external;
    int64_t version;
} Action;

static int parse_int64(Cursor *c, int64_t *out) {
    skip_ws(c);
    int neg = 0, any = 0;
    int64_t v = 0;
    if (c->p < c->end && *c->p == '"') { /* "version":"5" is accepted too */
        Cursor inner;
        const char *s;
        size_t n;
        if (!read_string(c, &s, &n)) return 0;
        inner.p = s;
        inner.end = s + n;
        return parse_int64(&inner, out) && inner.p == inner.end;
    }
    if (c->p < c->end && *c->p == '-') {
        neg = 1;
        c->p++;
    }
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        v = v * 10 + (*c->p++ - '0');
        any = 1;
    }
    *out = neg ? -v : v;
    return any;
}

/* Parses `{"index":{"_index":…,"_id":…,"version":N,"version_type":"external"}}`. */
static int parse_action(const char *line, size_t len, Action *a, const char **why) {
    Cursor c = {line, line + len};
    memset(a, 0, sizeof *a);
    const char *s;
    size_t n;
    *why = "malformed action/metadata line, expected {\\\"action\\\":{...}}";
    if (!expect_ch(&c, '{') || !read_string(&c, &s, &n) || !expect_ch(&c, ':')) return 0;
    a->action = -1;
    for (int i = 0; i < 4; i++)
        if (strlen(action_names[i]) == n && memcmp(action_names[i], s, n) == 0) a->action = i;
    if (a->action < 0) {
        *why = "unknown action, expected one of [create, delete, index, update]";
        return 0;
    }
    if (!expect_ch(&c, '{')) return 0;
    skip_ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            if (!read_string(&c, &s, &n) || !expect_ch(&c, ':')) return 0;
            if (n == 6 && memcmp(s, "_index", 6) == 0) {
                if (!read_string(&c, &a->index, &a->index_len)) return 0;
            } else if (n == 3 && memcmp(s, "_id", 3) == 0) {
                if (!read_string(&c, &a->id, &a->id_len)) return 0;
            } else if ((n == 7 && memcmp(s, "version", 7) == 0) || (n == 8 && memcmp(s, "_version", 8) == 0)) {
                if (!parse_int64(&c, &a->version)) return 0;
                a->has_version = 1;
            } else if ((n == 12 && memcmp(s, "version_type", 12) == 0) ||
                       (n == 13 && memcmp(s, "_version_type", 13) == 0)) {
                const char *t;
                size_t tn;
                if (!read_string(&c, &t, &tn)) return 0;
                a->external = (tn == 8 && memcmp(t, "external", 8) == 0) || (tn == 15 && memcmp(t, "external_gte", 15) == 0);
                if (tn == 15) a->external = 2;
            } else if (!skip_value(&c)) {
                return 0;
            }
            skip_ws(&c);
            if (c.p < c.end && *c.p == ',') {
                c.p++;
                continue;
            }
            if (!expect_ch(&c, '}')) return 0;
            break;
        }
    }
    if (!expect_ch(&c, '}')) return 0;
    skip_ws(&c);
    return c.p == c.end;
}

/* ------------------------------------------------------------------- bulk */

static uint64_t auto_id;

/* ------------------------------------------------------------ filter_path */

/* An item's fields, in the order OpenSearch writes them. */
enum {
    F_INDEX = 1 << 0, F_ID = 1 << 1, F_VERSION = 1 << 2, F_RESULT = 1 << 3, F_SHARDS = 1 << 4,
    F_SEQ_NO = 1 << 5, F_PRIMARY_TERM = 1 << 6, F_STATUS = 1 << 7, F_ERROR = 1 << 8, F_ALL = (1 << 9) - 1
};
static const char *const field_names[] = {"_index", "_id", "_version", "result", "_shards",
                                          "_seq_no", "_primary_term", "status", "error"};

/* What the `_bulk` answer being built keeps (everything without filter_path). */
static struct {
    int took, errors, items;
    unsigned item_fields;
} keep;
static int item_fields_written;

/* Percent-decodes `in[0..n)` into `out` (room for n + 1 bytes). */
static size_t url_decode(const char *in, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '%' && i + 2 < n && isxdigit((unsigned char)in[i + 1]) && isxdigit((unsigned char)in[i + 2])) {
            char hex[3] = {in[i + 1], in[i + 2], 0};
            out[o++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            out[o++] = in[i];
        }
    }
    out[o] = 0;
    return o;
}

/* Sets `keep` from the query string `q[0..n)`; 0 (with `why`) for a filter fastbulk does not implement. */
static int parse_filter_path(const char *q, size_t n, const char **why) {
    keep.took = keep.errors = keep.items = 1;
    keep.item_fields = F_ALL;
    const char *value = NULL;
    size_t value_len = 0;
    for (const char *p = q, *end = q + n; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *param_end = amp ? amp : end;
        if ((size_t)(param_end - p) >= 12 && memcmp(p, "filter_path=", 12) == 0) {
            value = p + 12;
            value_len = (size_t)(param_end - value);
        }
        p = amp ? amp + 1 : end;
    }
    if (!value) return 1;
    static char decoded[1024];
    if (value_len >= sizeof decoded) {
        *why = "filter_path is too long for fastbulk";
        return 0;
    }
    size_t len = url_decode(value, value_len, decoded);
    keep.took = keep.errors = keep.items = 0;
    keep.item_fields = 0;
    for (char *f = decoded, *end = decoded + len; f < end;) {
        char *comma = memchr(f, ',', (size_t)(end - f));
        char *f_end = comma ? comma : end;
        *f_end = 0;
        if (strcmp(f, "took") == 0) keep.took = 1;
        else if (strcmp(f, "errors") == 0) keep.errors = 1;
        else if (strcmp(f, "error") == 0 || strcmp(f, "status") == 0) { /* only in a failed request's answer */ }
        else if (strcmp(f, "items") == 0 || strcmp(f, "items.*") == 0) keep.items = 1, keep.item_fields = F_ALL;
        else if (strncmp(f, "items.*.", 8) == 0) {
            unsigned flag = 0;
            for (unsigned i = 0; i < sizeof field_names / sizeof *field_names; i++)
                if (strcmp(f + 8, field_names[i]) == 0) flag = 1u << i;
            if (!flag) {
                *why = "fastbulk implements filter_path items.*.<field> for the fields of a bulk item only";
                return 0;
            }
            keep.items = 1;
            keep.item_fields |= flag;
        } else {
            *why = "fastbulk implements the filter_path includes took, errors, items, items.*, items.*.<field>, error and status only";
            return 0;
        }
        f = f_end + 1;
    }
    return 1;
}

/* Starts the field `flag` of the item being written; 0 when the filter drops it. */
static int item_field(Buf *b, unsigned flag, const char *name) {
    if (!(keep.item_fields & flag)) return 0;
    if (item_fields_written++) buf_put(b, ",", 1);
    buf_put(b, "\"", 1);
    buf_puts(b, name);
    buf_put(b, "\":", 2);
    return 1;
}

static void item_head(Buf *b, const Action *a, const char *index, size_t index_len, const char *id, size_t id_len) {
    buf_puts(b, "{\"");
    buf_puts(b, action_names[a->action]);
    buf_puts(b, "\":{");
    item_fields_written = 0;
    if (item_field(b, F_INDEX, "_index")) {
        buf_put(b, "\"", 1);
        buf_put(b, index, index_len);
        buf_put(b, "\"", 1);
    }
    if (item_field(b, F_ID, "_id")) {
        buf_put(b, "\"", 1);
        buf_put(b, id, id_len);
        buf_put(b, "\"", 1);
    }
}

static void item_ok(Buf *b, int64_t version, const char *result, int status) {
    if (item_field(b, F_VERSION, "_version")) buf_i64(b, version);
    if (item_field(b, F_RESULT, "result")) {
        buf_put(b, "\"", 1);
        buf_puts(b, result);
        buf_put(b, "\"", 1);
    }
    if (item_field(b, F_SHARDS, "_shards")) buf_puts(b, "{\"total\":2,\"successful\":1,\"failed\":0}");
    int64_t seq = seq_no++;
    if (item_field(b, F_SEQ_NO, "_seq_no")) buf_i64(b, seq);
    if (item_field(b, F_PRIMARY_TERM, "_primary_term")) buf_puts(b, "1");
    if (item_field(b, F_STATUS, "status")) buf_i64(b, status);
    buf_puts(b, "}}");
}

static void item_error(Buf *b, int status, const char *type, const char *reason, const char *index, size_t index_len) {
    if (item_field(b, F_STATUS, "status")) buf_i64(b, status);
    if (item_field(b, F_ERROR, "error")) {
        buf_puts(b, "{\"type\":\"");
        buf_puts(b, type);
        buf_puts(b, "\",\"reason\":\"");
        buf_puts(b, reason);
        buf_puts(b, "\",\"index\":\"");
        buf_put(b, index, index_len);
        buf_puts(b, "\",\"shard\":\"0\",\"index_uuid\":\"fastbulk\"}");
    }
    buf_puts(b, "}}");
}

static void conflict(Buf *b, const char *id, size_t id_len, int64_t current, int64_t given, const char *index,
                     size_t index_len, int exists_only) {
    char reason[512];
    if (exists_only)
        snprintf(reason, sizeof reason, "[%.*s]: version conflict, document already exists (current version [%" PRId64 "])",
                 (int)(id_len > 200 ? 200 : id_len), id, current);
    else
        snprintf(reason, sizeof reason,
                 "[%.*s]: version conflict, current version [%" PRId64 "] is higher or equal to the one provided [%" PRId64 "]",
                 (int)(id_len > 200 ? 200 : id_len), id, current, given);
    item_error(b, 409, "version_conflict_engine_exception", reason, index, index_len);
    stats.conflicts++;
}

/* Applies one operation and appends its item to `b`; returns 1 on an item error. */
static int apply(Buf *b, const Action *a, const char *index, size_t index_len, const char *doc, size_t doc_len,
                 uint64_t wall_us) {
    char idbuf[32];
    const char *id = a->id;
    size_t id_len = a->id_len;
    if (!id) {
        if (a->action == ACT_DELETE || a->action == ACT_UPDATE) {
            item_head(b, a, index, index_len, "", 0);
            item_error(b, 400, "action_request_validation_exception", "Validation Failed: 1: id is missing;", index,
                       index_len);
            stats.item_errors++;
            return 1;
        }
        id_len = (size_t)snprintf(idbuf, sizeof idbuf, "auto-%" PRIu64, ++auto_id);
        id = idbuf;
    }
    item_head(b, a, index, index_len, id, id_len);
    if (a->action == ACT_UPDATE) {
        item_error(b, 400, "illegal_argument_exception", "fastbulk does not implement update", index, index_len);
        stats.item_errors++;
        return 1;
    }
    if (a->has_version && !a->external) {
        item_error(b, 400, "action_request_validation_exception",
                   "Validation Failed: 1: internal versioning can not be used for optimistic concurrency control;",
                   index, index_len);
        stats.item_errors++;
        return 1;
    }
    if (a->external && (!a->has_version || a->version < 0)) {
        item_error(b, 400, "action_request_validation_exception", "Validation Failed: 1: illegal version value;", index,
                   index_len);
        stats.item_errors++;
        return 1;
    }
    if (a->action != ACT_DELETE) {
        Cursor c = {doc, doc + doc_len};
        skip_ws(&c);
        const char *last = doc + doc_len;
        while (last > c.p && (last[-1] == ' ' || last[-1] == '\r' || last[-1] == '\t')) last--;
        if (c.p >= last || *c.p != '{' || last[-1] != '}') {
            item_error(b, 400, "mapper_parsing_exception", "failed to parse: the document is not a JSON object", index,
                       index_len);
            stats.item_errors++;
            return 1;
        }
    }
    Index *ix = index_find(index, index_len, 1);
    if (!ix) {
        item_error(b, 400, "invalid_index_name_exception", "index name too long or too many indices", index, index_len);
        stats.item_errors++;
        return 1;
    }
    Slot *s = store_lookup(ix, id, id_len, a->action != ACT_DELETE || a->external);
    int64_t current = s ? s->version : 0;
    int live = s && s->live;
    if (a->action == ACT_DELETE) {
        stats.delete_ops++;
        if (a->external) {
            if (s->known && (a->external == 2 ? a->version < current : a->version <= current)) {
                conflict(b, id, id_len, current, a->version, index, index_len, 0);
                return 1;
            }
            s->version = a->version;
            s->known = 1;
        } else if (live) {
            s->version = current + 1;
        }
        if (live) {
            s->live = 0;
            ix->live--;
            stats.deleted++;
            item_ok(b, s->version, "deleted", 200);
        } else {
            stats.not_found++;
            item_ok(b, s ? s->version : 1, "not_found", 404);
        }
        return 0;
    }
    if (a->action == ACT_CREATE) {
        stats.create_ops++;
        if (live) {
            conflict(b, id, id_len, current, a->version, index, index_len, 1);
            return 1;
        }
    } else {
        stats.index_ops++;
    }
    int64_t version;
    if (a->external) {
        if (s->known && (a->external == 2 ? a->version < current : a->version <= current)) {
            conflict(b, id, id_len, current, a->version, index, index_len, 0);
            return 1;
        }
        version = a->version;
    } else {
        version = current + 1;
    }
    s->version = version;
    s->known = 1;
    if (latency_field) record_latency(doc, doc_len, wall_us);
    if (live) {
        stats.updated++;
        item_ok(b, version, "updated", 200);
    } else {
        s->live = 1;
        ix->live++;
        stats.created++;
        item_ok(b, version, "created", 201);
    }
    return 0;
}

static void handle_bulk(Buf *out, const char *default_index, size_t default_len, const char *body, size_t len,
                        const char *query, size_t query_len, int closing) {
    uint64_t wall = now_us(CLOCK_REALTIME), mono = now_us(CLOCK_MONOTONIC), started = mono;
    const char *why = NULL;
    if (!parse_filter_path(query, query_len, &why)) {
        json_error(out, 400, "Bad Request", "illegal_argument_exception", why, 0, closing);
        return;
    }
    static Buf dropped; /* items when the filter keeps none of `items` */
    Buf *b = &scratch;
    b->len = 0;
    buf_put(b, "{", 1);
    size_t took_at = 0, errors_at = 0;
    if (keep.took) {
        buf_puts(b, "\"took\":");
        took_at = b->len;
        buf_puts(b, "0");
    }
    if (keep.errors) {
        buf_puts(b, b->len > 1 ? ",\"errors\":" : "\"errors\":");
        errors_at = b->len;
        buf_puts(b, "false");
    }
    if (keep.items) buf_puts(b, b->len > 1 ? ",\"items\":[" : "\"items\":[");
    Buf *item_buf = keep.items ? b : &dropped;
    dropped.len = 0;
    int errors = 0;
    uint64_t items = 0;
    const char *p = body, *end = body + len;
    stats.bulk_requests++;
    while (p < end) {
        while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')) p++;
        if (p >= end) break;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        Action a;
        const char *why;
        if (!parse_action(p, (size_t)(line_end - p), &a, &why)) {
            json_error(out, 400, "Bad Request", "illegal_argument_exception", why, 0, closing);
            return;
        }
        p = nl ? nl + 1 : end;
        const char *doc = NULL;
        size_t doc_len = 0;
        if (a.action != ACT_DELETE) {
            if (p >= end) {
                json_error(out, 400, "Bad Request", "illegal_argument_exception",
                           "The bulk request must be terminated by a newline [\\\\n]", 0, closing);
                return;
            }
            nl = memchr(p, '\n', (size_t)(end - p));
            doc = p;
            doc_len = (size_t)((nl ? nl : end) - p);
            p = nl ? nl + 1 : end;
        }
        const char *index = a.index ? a.index : default_index;
        size_t index_len = a.index ? a.index_len : default_len;
        if (!index || index_len == 0) {
            json_error(out, 400, "Bad Request", "action_request_validation_exception",
                       "Validation Failed: 1: index is missing;", 0, closing);
            return;
        }
        if (items) buf_put(item_buf, ",", 1);
        errors |= apply(item_buf, &a, index, index_len, doc, doc_len, wall);
        items++;
    }
    buf_puts(b, keep.items ? "]}" : "}");
    if (errors && keep.errors) memcpy(b->data + errors_at, "true ", 5);
    uint64_t took = (now_us(CLOCK_MONOTONIC) - started) / 1000;
    if (keep.took && took > 0 && took < 10) b->data[took_at] = (char)('0' + took);
    if (items) {
        if (!stats.first_item_wall_us) {
            stats.first_item_wall_us = wall;
            stats.first_item_mono_us = mono;
            stats.first_bulk_items = items;
        }
        stats.last_item_wall_us = wall;
        stats.last_item_mono_us = mono;
        stats.items += items;
    }
    http_response(out, 200, "OK", b->data, b->len, 0, closing);
}

/* ----------------------------------------------------------------- routes */

static int path_is(const char *path, size_t n, const char *lit) { return strlen(lit) == n && memcmp(path, lit, n) == 0; }

static void handle_bench(Buf *out, const char *method, const char *path, size_t path_len, int closing) {
    Buf *b = &scratch;
    b->len = 0;
    if (path_is(path, path_len, "/_bench/stats")) {
        size_t live = 0;
        for (int i = 0; i < index_count; i++)
            if (indices[i].exists) live += (size_t)indices[i].live;
        buf_printf(b,
                   "{\"requests\":%" PRIu64 ",\"bulk_requests\":%" PRIu64 ",\"items\":%" PRIu64 ",\"index_ops\":%" PRIu64
                   ",\"create_ops\":%" PRIu64 ",\"delete_ops\":%" PRIu64 ",\"created\":%" PRIu64 ",\"updated\":%" PRIu64
                   ",\"deleted\":%" PRIu64 ",\"not_found\":%" PRIu64 ",\"conflicts\":%" PRIu64 ",\"item_errors\":%" PRIu64
                   ",\"bytes_in\":%" PRIu64 ",\"live_docs\":%zu,\"ids\":%zu",
                   stats.requests, stats.bulk_requests, stats.items, stats.index_ops, stats.create_ops, stats.delete_ops,
                   stats.created, stats.updated, stats.deleted, stats.not_found, stats.conflicts, stats.item_errors,
                   stats.bytes_in, live, slot_used);
        buf_printf(b,
                   ",\"first_item_wall_us\":%" PRIu64 ",\"last_item_wall_us\":%" PRIu64 ",\"first_item_mono_us\":%" PRIu64
                   ",\"last_item_mono_us\":%" PRIu64 ",\"now_mono_us\":%" PRIu64 ",\"first_bulk_items\":%" PRIu64 "}",
                   stats.first_item_wall_us, stats.last_item_wall_us, stats.first_item_mono_us, stats.last_item_mono_us,
                   now_us(CLOCK_MONOTONIC), stats.first_bulk_items);
    } else if (path_is(path, path_len, "/_bench/latency")) {
        uint32_t *sorted = xrealloc(NULL, (latency_len ? latency_len : 1) * sizeof *sorted);
        memcpy(sorted, latencies, latency_len * sizeof *sorted);
        qsort(sorted, latency_len, sizeof *sorted, cmp_u32);
        double sum = 0;
        for (size_t i = 0; i < latency_len; i++) sum += sorted[i];
#define PCT(q) (latency_len ? sorted[(size_t)((double)(latency_len - 1) * (q))] / 1000.0 : 0.0)
        buf_printf(b,
                   "{\"field\":\"%s\",\"count\":%zu,\"unparsed\":%" PRIu64
                   ",\"min_ms\":%.3f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f}",
                   latency_field ? latency_field : "", latency_len, latency_unparsed, PCT(0.0), PCT(0.5), PCT(0.9),
                   PCT(0.99), PCT(0.999), PCT(1.0), latency_len ? sum / (double)latency_len / 1000.0 : 0.0);
#undef PCT
        free(sorted);
    } else if (path_is(path, path_len, "/_bench/reset") && strcmp(method, "POST") == 0) {
        store_reset();
        memset(&stats, 0, sizeof stats);
        latency_len = 0;
        latency_unparsed = 0;
        buf_puts(b, "{\"acknowledged\":true}");
    } else {
        json_error(out, 404, "Not Found", "not_found", "no such bench route", 0, closing);
        return;
    }
    http_response(out, 200, "OK", b->data, b->len, 0, closing);
}

static const char ROOT_INFO[] =
    "{\"name\":\"fastbulk\",\"cluster_name\":\"fastbulk\",\"cluster_uuid\":\"fastbulk\",\"version\":{\"distribution\":"
    "\"opensearch\",\"number\":\"2.11.0\",\"build_type\":\"fastbulk\",\"minimum_wire_compatibility_version\":\"7.10.0\","
    "\"minimum_index_compatibility_version\":\"7.0.0\"},\"tagline\":\"The OpenSearch Project: https://opensearch.org/\"}";
static const char SHARDS_OK[] = "{\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}";

static void route(Buf *out, const char *method, const char *target, size_t target_len, const char *body,
                  size_t body_len, int closing) {
    int head = strcmp(method, "HEAD") == 0;
    int get = strcmp(method, "GET") == 0 || head;
    const char *q = memchr(target, '?', target_len);
    size_t path_len = q ? (size_t)(q - target) : target_len;
    const char *query = q ? q + 1 : "";
    size_t query_len = q ? (size_t)(target + target_len - query) : 0;
    const char *path = target;
    while (path_len > 1 && path[path_len - 1] == '/') path_len--;
    stats.requests++;

    if (path_len == 1 && path[0] == '/') {
        if (get) http_response(out, 200, "OK", ROOT_INFO, sizeof ROOT_INFO - 1, head, closing);
        else json_error(out, 405, "Method Not Allowed", "method_not_allowed", "only GET and HEAD on /", head, closing);
        return;
    }
    if (path_len >= 7 && memcmp(path, "/_bench", 7) == 0) {
        handle_bench(out, method, path, path_len, closing);
        return;
    }
    if (path_is(path, path_len, "/_bulk")) {
        if (strcmp(method, "POST") && strcmp(method, "PUT"))
            json_error(out, 405, "Method Not Allowed", "method_not_allowed", "use POST for _bulk", head, closing);
        else handle_bulk(out, NULL, 0, body, body_len, query, query_len, closing);
        return;
    }
    if (path_is(path, path_len, "/_refresh")) {
        http_response(out, 200, "OK", SHARDS_OK, sizeof SHARDS_OK - 1, head, closing);
        return;
    }
    if (path_is(path, path_len, "/_cluster/health")) {
        static const char health[] = "{\"cluster_name\":\"fastbulk\",\"status\":\"green\",\"timed_out\":false,\"number_of_nodes\":1}";
        http_response(out, 200, "OK", health, sizeof health - 1, head, closing);
        return;
    }
    /* /{index}[/_op] */
    const char *name = path + 1;
    const char *slash = memchr(name, '/', path_len - 1);
    size_t name_len = slash ? (size_t)(slash - name) : path_len - 1;
    const char *op = slash ? slash : "";
    size_t op_len = slash ? (size_t)(path + path_len - slash) : 0;
    if (name_len == 0 || name[0] == '_') {
        json_error(out, 400, "Bad Request", "illegal_argument_exception", "no handler found for this uri and method", head,
                   closing);
        return;
    }
    Index *ix = index_find(name, name_len, 0);
    Buf *b = &scratch;
    b->len = 0;
    if (op_len == 0) {
        if (strcmp(method, "PUT") == 0) {
            if (ix) {
                json_error(out, 400, "Bad Request", "resource_already_exists_exception", "index already exists", 0, closing);
                return;
            }
            if (!index_find(name, name_len, 1)) {
                json_error(out, 400, "Bad Request", "invalid_index_name_exception", "index name too long", 0, closing);
                return;
            }
            buf_puts(b, "{\"acknowledged\":true,\"shards_acknowledged\":true,\"index\":\"");
            buf_put(b, name, name_len);
            buf_puts(b, "\"}");
        } else if (strcmp(method, "DELETE") == 0) {
            if (!ix) {
                json_error(out, 404, "Not Found", "index_not_found_exception", "no such index", 0, closing);
                return;
            }
            store_drop_index(ix);
            buf_puts(b, "{\"acknowledged\":true}");
        } else if (get) {
            if (!ix) {
                json_error(out, 404, "Not Found", "index_not_found_exception", "no such index", head, closing);
                return;
            }
            buf_puts(b, "{\"");
            buf_put(b, name, name_len);
            buf_puts(b, "\":{\"aliases\":{},\"mappings\":{},\"settings\":{}}}");
        } else {
            json_error(out, 405, "Method Not Allowed", "method_not_allowed", "unsupported method", head, closing);
            return;
        }
        http_response(out, 200, "OK", b->data, b->len, head, closing);
        return;
    }
    if (op_len == 6 && memcmp(op, "/_bulk", 6) == 0) {
        handle_bulk(out, name, name_len, body, body_len, query, query_len, closing);
        return;
    }
    if (op_len == 9 && memcmp(op, "/_refresh", 9) == 0) {
        if (!ix) json_error(out, 404, "Not Found", "index_not_found_exception", "no such index", head, closing);
        else http_response(out, 200, "OK", SHARDS_OK, sizeof SHARDS_OK - 1, head, closing);
        return;
    }
    if (op_len == 7 && memcmp(op, "/_count", 7) == 0) {
        if (!ix) {
            json_error(out, 404, "Not Found", "index_not_found_exception", "no such index", head, closing);
            return;
        }
        buf_puts(b, "{\"count\":");
        buf_i64(b, ix->live);
        buf_puts(b, ",\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}");
        http_response(out, 200, "OK", b->data, b->len, head, closing);
        return;
    }
    json_error(out, 400, "Bad Request", "illegal_argument_exception", "no handler found for this uri and method", head,
               closing);
}

/* ------------------------------------------------------------ connections */

typedef struct {
    int fd;
    Buf in;          /* unparsed bytes start at in_off */
    size_t in_off;
    Buf out;         /* unsent bytes start at out_off */
    size_t out_off;
    int continue_sent; /* 100 Continue already sent for the request at in_off */
    int closing;       /* close once `out` is flushed */
    uint32_t events;   /* the epoll interest currently registered */
} Conn;

#define MAX_PENDING_OUT ((size_t)64 << 20) /* stop reading while this much is unsent */

static int epfd;

static int header_eq(const char *p, size_t n, const char *lit) {
    size_t l = strlen(lit);
    return n == l && strncasecmp(p, lit, l) == 0;
}

static const char *trim(const char *p, const char *end, size_t *n) {
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    *n = (size_t)(end - p);
    return p;
}

/* Parses and answers every complete request in `c->in`. */
static void process(Conn *c) {
    while (!c->closing) {
        char *start = c->in.data + c->in_off;
        size_t avail = c->in.len - c->in_off;
        if (avail == 0) break;
        /* Tolerate stray CRLFs between requests (RFC 9112 §2.2). */
        if (*start == '\r' || *start == '\n') {
            c->in_off++;
            continue;
        }
        char *hdr_end = memmem(start, avail < MAX_HEADER_BYTES + 4 ? avail : MAX_HEADER_BYTES + 4, "\r\n\r\n", 4);
        if (!hdr_end) {
            if (avail > MAX_HEADER_BYTES) {
                json_error(&c->out, 431, "Request Header Fields Too Large", "too_long_frame_exception", "headers too large", 0, 1);
                c->closing = 1;
            }
            break;
        }
        char *line_end = memmem(start, (size_t)(hdr_end - start) + 2, "\r\n", 2);
        /* Request line: METHOD SP TARGET SP VERSION */
        char *sp1 = memchr(start, ' ', (size_t)(line_end - start));
        char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
        if (!sp1 || !sp2 || sp1 - start > 15 || line_end - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0) {
            json_error(&c->out, 400, "Bad Request", "illegal_argument_exception", "bad request line", 0, 1);
            c->closing = 1;
            break;
        }
        char method[16];
        memcpy(method, start, (size_t)(sp1 - start));
        method[sp1 - start] = 0;
        int http10 = sp2[8] == '0';
        int keep_alive = !http10, expect_continue = 0, chunked = 0, bad_length = 0, have_length = 0;
        size_t content_length = 0;
        for (char *h = line_end + 2; h < hdr_end;) {
            char *eol = memmem(h, (size_t)(hdr_end + 2 - h), "\r\n", 2);
            char *colon = memchr(h, ':', (size_t)(eol - h));
            if (colon) {
                size_t vn;
                const char *v = trim(colon + 1, eol, &vn);
                size_t kn = (size_t)(colon - h);
                if (header_eq(h, kn, "content-length")) {
                    size_t value = 0;
                    int any = 0;
                    for (size_t i = 0; i < vn; i++) {
                        if (v[i] < '0' || v[i] > '9' || value > MAX_BODY_BYTES) {
                            bad_length = 1;
                            break;
                        }
                        value = value * 10 + (size_t)(v[i] - '0');
                        any = 1;
                    }
                    if (!any || (have_length && value != content_length)) bad_length = 1;
                    content_length = value;
                    have_length = 1;
                } else if (header_eq(h, kn, "connection")) {
                    if (vn >= 5 && strncasecmp(v, "close", 5) == 0) keep_alive = 0;
                    else if (vn >= 10 && strncasecmp(v, "keep-alive", 10) == 0) keep_alive = 1;
                } else if (header_eq(h, kn, "expect")) {
                    expect_continue = vn == 12 && strncasecmp(v, "100-continue", 12) == 0;
                } else if (header_eq(h, kn, "transfer-encoding")) {
                    chunked = 1;
                }
            }
            h = eol + 2;
        }
        if (chunked) {
            json_error(&c->out, 411, "Length Required", "illegal_argument_exception",
                       "fastbulk needs a Content-Length body, not chunked", 0, 1);
            c->closing = 1;
            break;
        }
        if (bad_length || content_length > MAX_BODY_BYTES) {
            json_error(&c->out, 400, "Bad Request", "illegal_argument_exception", "bad content-length", 0, 1);
            c->closing = 1;
            break;
        }
        size_t header_len = (size_t)(hdr_end + 4 - start);
        if (avail < header_len + content_length) {
            if (expect_continue && !c->continue_sent) {
                buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
                c->continue_sent = 1;
            }
            /* Make room for the whole body so reads land in place. */
            size_t need = c->in_off + header_len + content_length;
            if (c->in.cap < need) {
                if (c->in_off) {
                    memmove(c->in.data, c->in.data + c->in_off, avail);
                    c->in.len = avail;
                    c->in_off = 0;
                    need = header_len + content_length;
                }
                if (c->in.cap < need) {
                    c->in.data = xrealloc(c->in.data, need);
                    c->in.cap = need;
                }
            }
            break;
        }
        char *target = sp1 + 1;
        size_t target_len = (size_t)(sp2 - target);
        c->closing = !keep_alive;
        route(&c->out, method, target, target_len, start + header_len, content_length, c->closing);
        stats.bytes_in += header_len + content_length;
        c->in_off += header_len + content_length;
        c->continue_sent = 0;
    }
    if (c->in_off == c->in.len) {
        c->in.len = c->in_off = 0;
    } else if (c->in_off > 0 && (c->in_off > c->in.cap / 2 || c->in.len == c->in.cap)) {
        memmove(c->in.data, c->in.data + c->in_off, c->in.len - c->in_off);
        c->in.len -= c->in_off;
        c->in_off = 0;
    }
}

static void conn_close(Conn *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in.data);
    free(c->out.data);
    free(c);
}

/* Writes what it can; returns 0 when the connection must be closed. */
static int flush_out(Conn *c) {
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        return 0;
    }
    if (c->out_off == c->out.len) {
        c->out.len = c->out_off = 0;
        if (c->out.cap > (8u << 20)) { /* give back a huge response buffer */
            free(c->out.data);
            c->out.data = NULL;
            c->out.cap = 0;
        }
        if (c->closing) return 0;
    }
    size_t pending = c->out.len - c->out_off;
    uint32_t events = (pending ? EPOLLOUT : 0) | (!c->closing && pending < MAX_PENDING_OUT ? EPOLLIN | EPOLLRDHUP : 0);
    if (events != c->events) {
        struct epoll_event ev = {.events = events, .data.ptr = c};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->events = events;
    }
    return 1;
}

static void on_readable(Conn *c) {
    for (int rounds = 0; rounds < 16; rounds++) {
        size_t room = c->in.cap - c->in.len;
        if (room < READ_CHUNK / 4) {
            buf_reserve(&c->in, READ_CHUNK);
            room = c->in.cap - c->in.len;
        }
        ssize_t n = recv(c->fd, c->in.data + c->in.len, room, 0);
        if (n > 0) {
            c->in.len += (size_t)n;
            process(c);
            if (c->closing) break;
            if ((size_t)n < room) break; /* drained for now */
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        /* EOF or error: answer what was complete, then close. */
        c->closing = 1;
        break;
    }
    if (!flush_out(c)) {
        conn_close(c);
        return;
    }
    if (c->closing && c->out.len == 0) conn_close(c);
}

static int listen_on(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("bad --host %s", host);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind %s:%d: %s", host, port, strerror(errno));
    if (listen(fd, 512) < 0) die("listen: %s", strerror(errno));
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    printf("listening %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    return fd;
}

static volatile sig_atomic_t stopping;
static void on_signal(int sig) {
    (void)sig;
    stopping = 1;
}

static int serve(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--host") && i + 1 < argc) host = argv[++i];
        else if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--latency-field") && i + 1 < argc) latency_field = argv[++i];
        else die("serve: unknown argument %s", argv[i]);
    }
    if (latency_field) {
        if (strlen(latency_field) > 150) die("--latency-field too long");
        latency_key_len = (size_t)snprintf(latency_key, sizeof latency_key, "\"%s\":", latency_field);
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int lfd = listen_on(host, port);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event events[64];
    while (!stopping) {
        int n = epoll_wait(epfd, events, 64, 500);
        if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            Conn *c = events[i].data.ptr;
            if (!c) {
                for (;;) {
                    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    Conn *nc = calloc(1, sizeof *nc);
                    if (!nc) die("out of memory");
                    nc->fd = fd;
                    nc->events = EPOLLIN | EPOLLRDHUP;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = nc};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            uint32_t e = events[i].events;
            if ((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && (c->events & EPOLLIN)) {
                on_readable(c); /* also handles EOF; may free c */
                continue;
            }
            if (e & EPOLLOUT) {
                if (!flush_out(c)) conn_close(c);
            } else if (e & (EPOLLHUP | EPOLLERR)) {
                conn_close(c);
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- loadgen */

typedef struct {
    int fd;
    Buf req;                 /* one full HTTP request */
    size_t *version_at;      /* offsets of the 12 version digits in req */
    size_t versions;
    uint64_t next_version;
    size_t sent_off;         /* bytes of the current send batch written */
    Buf batch;               /* `pipeline` requests back to back */
    Buf in;
    int awaiting;            /* responses still due for the batch */
    uint64_t batch_started_us;
} Client;

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void patch_versions(Client *c) {
    char digits12[13];
    snprintf(digits12, sizeof digits12, "%012" PRIu64, c->next_version++);
    for (size_t i = 0; i < c->versions; i++) memcpy(c->req.data + c->version_at[i], digits12, 12);
}

static void client_start_batch(Client *c, int pipeline) {
    c->batch.len = 0;
    for (int i = 0; i < pipeline; i++) {
        patch_versions(c);
        buf_put(&c->batch, c->req.data, c->req.len);
    }
    c->sent_off = 0;
    c->awaiting = pipeline;
    c->batch_started_us = now_us(CLOCK_MONOTONIC);
}

/* Consumes complete responses from c->in; returns how many, -1 on a bad one. */
static int client_responses(Client *c, uint64_t *bad) {
    int done = 0;
    size_t off = 0;
    for (;;) {
        char *start = c->in.data + off;
        size_t avail = c->in.len - off;
        char *hdr_end = avail ? memmem(start, avail, "\r\n\r\n", 4) : NULL;
        if (!hdr_end) break;
        char *cl = memmem(start, (size_t)(hdr_end - start), "content-length:", 15);
        if (!cl) return -1;
        size_t len = strtoul(cl + 15, NULL, 10);
        size_t total = (size_t)(hdr_end + 4 - start) + len;
        if (avail < total) break;
        if (memcmp(start, "HTTP/1.1 200", 12) != 0 || !memmem(hdr_end + 4, len < 64 ? len : 64, "\"errors\":false", 14))
            (*bad)++;
        off += total;
        done++;
    }
    if (off) {
        memmove(c->in.data, c->in.data + off, c->in.len - off);
        c->in.len -= off;
    }
    return done;
}

static int loadgen(int argc, char **argv) {
    int port = 0, conns = 8, items = 1000, pipeline = 1;
    double seconds = 5;
    const char *doc_file = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--conns") && i + 1 < argc) conns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--items") && i + 1 < argc) items = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--pipeline") && i + 1 < argc) pipeline = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--doc") && i + 1 < argc) doc_file = argv[++i];
        else die("loadgen: unknown argument %s", argv[i]);
    }
    if (!port || !doc_file || conns < 1 || items < 1 || pipeline < 1) die("loadgen: need --port and --doc");
    FILE *f = fopen(doc_file, "rb");
    if (!f) die("cannot open %s", doc_file);
    Buf doc = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(&doc, chunk, n);
    fclose(f);
    while (doc.len && (doc.data[doc.len - 1] == '\n' || doc.data[doc.len - 1] == '\r')) doc.len--;

    signal(SIGPIPE, SIG_IGN);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    Client *clients = calloc((size_t)conns, sizeof *clients);
    for (int k = 0; k < conns; k++) {
        Client *c = &clients[k];
        Buf body = {0};
        c->version_at = calloc((size_t)items, sizeof(size_t));
        size_t *rel = calloc((size_t)items, sizeof(size_t));
        for (int i = 0; i < items; i++) {
            buf_printf(&body, "{\"index\":{\"_index\":\"loadgen\",\"_id\":\"%d\",\"version\":", k * 10000000 + i);
            rel[i] = body.len;
            buf_puts(&body, "000000000001,\"version_type\":\"external\"}}\n");
            buf_put(&body, doc.data, doc.len);
            buf_put(&body, "\n", 1);
        }
        buf_printf(&c->req, "POST /_bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\nContent-Length: %zu\r\n\r\n",
                   body.len);
        size_t base = c->req.len;
        buf_put(&c->req, body.data, body.len);
        for (int i = 0; i < items; i++) c->version_at[i] = base + rel[i];
        c->versions = (size_t)items;
        c->next_version = 1;
        free(rel);
        free(body.data);
        c->fd = connect_to(port);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
        client_start_batch(c, pipeline);
    }
    uint64_t started = now_us(CLOCK_MONOTONIC), deadline = started + (uint64_t)(seconds * 1e6);
    uint64_t responses = 0, bad = 0, bytes = 0;
    int active = conns;
    struct epoll_event events[64];
    while (active > 0) {
        int ne = epoll_wait(ep, events, 64, 1000);
        for (int i = 0; i < ne; i++) {
            Client *c = events[i].data.ptr;
            if (c->fd < 0) continue;
            if ((events[i].events & EPOLLOUT) && c->sent_off < c->batch.len) {
                ssize_t w = send(c->fd, c->batch.data + c->sent_off, c->batch.len - c->sent_off, MSG_NOSIGNAL);
                if (w > 0) c->sent_off += (size_t)w;
                else if (w < 0 && errno != EAGAIN && errno != EINTR) die("send: %s", strerror(errno));
                if (c->sent_off == c->batch.len) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                buf_reserve(&c->in, 1 << 20);
                ssize_t r = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, 0);
                if (r == 0) die("server closed a connection");
                if (r < 0) {
                    if (errno == EAGAIN || errno == EINTR) continue;
                    die("recv: %s", strerror(errno));
                }
                c->in.len += (size_t)r;
                int got = client_responses(c, &bad);
                if (got < 0) die("unparseable response");
                responses += (uint64_t)got;
                c->awaiting -= got;
                if (c->awaiting == 0) {
                    bytes += c->batch.len;
                    if (now_us(CLOCK_MONOTONIC) >= deadline) {
                        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                        close(c->fd);
                        c->fd = -1;
                        active--;
                        continue;
                    }
                    client_start_batch(c, pipeline);
                    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
        }
    }
    double elapsed = (double)(now_us(CLOCK_MONOTONIC) - started) / 1e6;
    printf("{\"connections\":%d,\"pipeline\":%d,\"items_per_request\":%d,\"doc_bytes\":%zu,\"seconds\":%.3f,"
           "\"requests\":%" PRIu64 ",\"bad_responses\":%" PRIu64 ",\"items_per_s\":%.0f,\"requests_per_s\":%.1f,"
           "\"mb_per_s\":%.1f}\n",
           conns, pipeline, items, doc.len, elapsed, responses, bad, (double)responses * items / elapsed,
           (double)responses / elapsed, (double)bytes / elapsed / 1e6);
    return bad ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "serve")) return serve(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "loadgen")) return loadgen(argc - 2, argv + 2);
    fprintf(stderr, "usage: fastbulk serve [--host H] [--port P] [--latency-field NAME]\n"
                    "       fastbulk loadgen --port P --doc FILE [--items N] [--conns N] [--seconds S] [--pipeline D]\n");
    return 2;
}
