// CCurl: typed, non-variadic shims for the parts of libcurl that Swift cannot
// call directly. curl_easy_setopt and curl_easy_getinfo are variadic, so each
// argument type gets its own shim; everything else in <curl/curl.h>
// (curl_easy_init, curl_easy_perform, curl_slist_append, ...) is called from
// Swift as is. Only TributaryOpenSearch imports this module.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Runs curl_global_init(CURL_GLOBAL_DEFAULT) exactly once per process
/// (pthread_once), however many threads call it; returns that one call's result.
CURLcode ccurl_global_init_once(void);

/// The body callback type libcurl expects for CURLOPT_WRITEFUNCTION.
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *userdata);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/// libcurl copies strings passed here (except CURLOPT_POSTFIELDS, see below).
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
/// Raw pointers: CURLOPT_WRITEDATA, CURLOPT_ERRORBUFFER, CURLOPT_POSTFIELDS.
/// libcurl does NOT copy the memory; it must outlive its use by the handle.
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
/// The list is not copied; it must outlive every transfer that uses it.
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list);
CURLcode ccurl_easy_setopt_write_callback(CURL *handle, ccurl_write_callback callback);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
/// The string is owned by the handle and valid until the next transfer.
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

#ifdef __cplusplus
}
#endif

#endif
