#include "CRdKafka.h"

rd_kafka_resp_err_t crdkafka_produce(rd_kafka_t *rk,
                                     const char *topic,
                                     int32_t partition,
                                     const void *key, size_t key_len,
                                     const void *value, size_t value_len,
                                     const crdkafka_header_t *headers,
                                     size_t header_count,
                                     void *msg_opaque) {
    rd_kafka_headers_t *hdrs = NULL;
    rd_kafka_resp_err_t err;

    if (header_count > 0) {
        hdrs = rd_kafka_headers_new(header_count);
        for (size_t i = 0; i < header_count; i++) {
            const crdkafka_header_t *h = &headers[i];
            err = rd_kafka_header_add(hdrs, h->name, (ssize_t)h->name_len,
                                      h->value,
                                      h->value ? (ssize_t)h->value_len : 0);
            if (err) {
                rd_kafka_headers_destroy(hdrs);
                return err;
            }
        }
    }

    /* The key/value casts drop const only to match the macro signatures;
     * RD_KAFKA_MSG_F_COPY means librdkafka copies and never writes them. */
    err = rd_kafka_producev(rk,
                            RD_KAFKA_V_TOPIC(topic),
                            RD_KAFKA_V_PARTITION(partition),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_KEY((void *)key, key ? key_len : 0),
                            RD_KAFKA_V_VALUE((void *)value, value ? value_len : 0),
                            RD_KAFKA_V_HEADERS(hdrs),
                            RD_KAFKA_V_OPAQUE(msg_opaque),
                            RD_KAFKA_V_END);

    /* On success librdkafka owns the headers; on failure we still do. */
    if (err && hdrs)
        rd_kafka_headers_destroy(hdrs);
    return err;
}
