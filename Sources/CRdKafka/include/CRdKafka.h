/// CRdKafka: librdkafka (and its mock cluster) for TributaryKafka.
///
/// Swift calls librdkafka directly. The `crdkafka_` functions below exist
/// only where Swift cannot call the C API itself: `rd_kafka_producev` is
/// variadic and its `RD_KAFKA_V_*` arguments are macros.
#ifndef CRDKAFKA_H
#define CRDKAFKA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// One message header lent to `crdkafka_produce`.
/// `value == NULL` is a header with a null value (`value_len` ignored).
typedef struct crdkafka_header {
    const char *name;
    size_t name_len;
    const void *value;
    size_t value_len;
} crdkafka_header_t;

/// Enqueues one message with `RD_KAFKA_MSG_F_COPY`: key, value and headers are
/// copied before this returns, so the caller keeps ownership of every buffer.
///
/// - `partition`: `RD_KAFKA_PARTITION_UA` (-1) for the configured partitioner.
/// - `key == NULL` sends a null key; `value == NULL` a null value (tombstone).
/// - `msg_opaque` comes back in the delivery report's `_private`.
///
/// Returns `RD_KAFKA_RESP_ERR_NO_ERROR` or the enqueue error
/// (e.g. `RD_KAFKA_RESP_ERR__QUEUE_FULL`); on error nothing is retained.
rd_kafka_resp_err_t crdkafka_produce(rd_kafka_t *rk,
                                     const char *topic,
                                     int32_t partition,
                                     const void *key, size_t key_len,
                                     const void *value, size_t value_len,
                                     const crdkafka_header_t *headers,
                                     size_t header_count,
                                     void *msg_opaque);

#endif /* CRDKAFKA_H */
