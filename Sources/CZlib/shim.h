#pragma once
// zlib (Debian's zlib1g-dev), for gzip streams. deflateInit2 is a macro, which Swift cannot call.
#include <zlib.h>

static inline int itrack_deflate_init_gzip(z_stream *stream, int level) {
    // 15 window bits + 16: a gzip header and trailer instead of zlib's.
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int itrack_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
