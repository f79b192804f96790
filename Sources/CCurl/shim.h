#pragma once
// libcurl (Debian's libcurl4-openssl-dev 7.88). curl_easy_setopt and curl_easy_getinfo are variadic, which Swift
// cannot call: these typed wrappers are the only way in.
#include <curl/curl.h>

typedef size_t (*itrack_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode itrack_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode itrack_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode itrack_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode itrack_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode itrack_curl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION, CURLOPT_READFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode itrack_curl_setopt_callback(CURL *handle, CURLoption option, itrack_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode itrack_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
