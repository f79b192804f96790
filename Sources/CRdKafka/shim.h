#pragma once
// librdkafka (Debian's librdkafka-dev 2.0.2). rdkafka_mock.h is the built-in mock cluster that tools/kmock runs.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
