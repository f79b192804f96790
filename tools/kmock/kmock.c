/*
 * kmock: a standalone Kafka broker for tests, made of librdkafka's built-in mock cluster.
 *
 *   kmock [-p BASEPORT] [-b BROKERS] [-t topic:partitions]...
 *
 * Starts BROKERS mock brokers (default 1) listening on 127.0.0.1:BASEPORT, BASEPORT+1, ... (default
 * BASEPORT 29092), creates each -t topic with its partition count (replication factor min(BROKERS, 3)),
 * prints the bootstrap list ("127.0.0.1:29092,...") on one line of stdout and runs until SIGTERM or SIGINT.
 * Other topics are created with 4 partitions on first use (the mock's default).
 *
 * Outage tests: SIGUSR1 takes every broker down (open connections are closed, new ones are closed as soon as
 * they are accepted, so clients see the cluster as unreachable); SIGUSR2 brings them all back up. Topics, data
 * and committed offsets survive both.
 *
 * Limits of the mock (librdkafka 2.0.2): data lives in memory only and each partition keeps about 5 MiB
 * (older messages are dropped by advancing the log start offset); no CreateTopics, no ACLs, no TLS.
 *
 * Build: gcc -O2 -Wall -rdynamic -o kmock kmock.c $(pkg-config --cflags --libs rdkafka) -ldl
 * (-rdynamic exports our bind() below so that librdkafka's calls resolve to it.)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_TOPICS 128

/* Set before the cluster is created; read by bind() on librdkafka's mock thread. */
static int base_port = 29092;
static int max_brokers = 1;
static int ports_given = 0;

/*
 * librdkafka 2.0.2 binds every mock broker's listener to 127.0.0.1 port 0, so the kernel would pick an
 * ephemeral port. This bind() replaces that port with the next fixed one; every other bind goes to libc
 * unchanged. SO_REUSEADDR lets a restarted kmock reuse its ports while old connections sit in TIME_WAIT.
 */
int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*libc_bind)(int, const struct sockaddr *, socklen_t);
    if (!libc_bind) {
        libc_bind = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
        if (!libc_bind) {
            errno = ENOSYS;
            return -1;
        }
    }
    if (addr == NULL || addr->sa_family != AF_INET || len < (socklen_t)sizeof(struct sockaddr_in))
        return libc_bind(fd, addr, len);

    struct sockaddr_in sin;
    memcpy(&sin, addr, sizeof sin);
    int type = 0;
    socklen_t type_len = sizeof type;
    int is_stream = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_len) == 0 && type == SOCK_STREAM;
    if (!is_stream || sin.sin_port != 0 || sin.sin_addr.s_addr != htonl(INADDR_LOOPBACK) || ports_given >= max_brokers)
        return libc_bind(fd, addr, len);

    sin.sin_port = htons((uint16_t)(base_port + ports_given++));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return libc_bind(fd, (const struct sockaddr *)&sin, sizeof sin);
}

static void usage(const char *argv0) {
    fprintf(stderr, "usage: %s [-p baseport] [-b brokers] [-t topic:partitions]...\n", argv0);
    exit(2);
}

/* Parses a whole decimal number in [min, max] or exits with a message naming the option. */
static int number(const char *text, int min, int max, const char *what) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        fprintf(stderr, "kmock: %s must be a number from %d to %d, got '%s'\n", what, min, max, text);
        exit(2);
    }
    return (int)value;
}

/* Takes every broker down (up == 0) or brings every broker back (up == 1). */
static void set_brokers(rd_kafka_mock_cluster_t *cluster, int brokers, int up) {
    for (int id = 1; id <= brokers; id++) {
        rd_kafka_resp_err_t err =
            up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id);
        if (err)
            fprintf(stderr, "kmock: broker %d %s: %s\n", id, up ? "up" : "down", rd_kafka_err2str(err));
    }
    fprintf(stderr, "kmock: all %d broker(s) %s\n", brokers, up ? "up" : "down");
}

int main(int argc, char **argv) {
    /* kmock runs as a daemon: descriptors inherited from whoever started it (a pipe a caller reads to EOF,
     * a socket a parent watches to learn that its child exited) must not stay open for as long as it runs. */
    closefrom(3);

    char *topics[MAX_TOPICS];
    int topic_count = 0, opt;
    while ((opt = getopt(argc, argv, "p:b:t:")) != -1) {
        switch (opt) {
        case 'p': base_port = number(optarg, 1, 65535, "-p baseport"); break;
        case 'b': max_brokers = number(optarg, 1, 16, "-b brokers"); break;
        case 't':
            if (topic_count == MAX_TOPICS) {
                fprintf(stderr, "kmock: at most %d topics\n", MAX_TOPICS);
                return 2;
            }
            topics[topic_count++] = optarg;
            break;
        default: usage(argv[0]);
        }
    }
    if (optind != argc) usage(argv[0]);
    if (base_port + max_brokers - 1 > 65535) {
        fprintf(stderr, "kmock: ports %d..%d do not exist\n", base_port, base_port + max_brokers - 1);
        return 2;
    }

    /* Signals are taken synchronously by sigwait() below. Blocking them before librdkafka starts its threads
     * makes every thread inherit the mask, so no signal lands on one of them. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGUSR1);
    sigaddset(&signals, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);

    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        fprintf(stderr, "kmock: log_level: %s\n", errstr);
    /* The mock cluster needs a client handle to run on; this one never connects anywhere. */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        rd_kafka_conf_destroy(conf);
        fprintf(stderr, "kmock: rd_kafka_new: %s\n", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, max_brokers);
    if (!cluster) {
        fprintf(stderr, "kmock: cannot start %d broker(s) on 127.0.0.1:%d..%d (a port in use?)\n", max_brokers,
                base_port, base_port + max_brokers - 1);
        rd_kafka_destroy(rk);
        return 1;
    }
    if (ports_given != max_brokers) {
        fprintf(stderr, "kmock: expected %d listener bind(s), saw %d: this librdkafka binds differently\n",
                max_brokers, ports_given);
        rd_kafka_mock_cluster_destroy(cluster);
        rd_kafka_destroy(rk);
        return 1;
    }

    int replicas = max_brokers < 3 ? max_brokers : 3;
    for (int i = 0; i < topic_count; i++) {
        /* A copy: cutting argv in place would change what ps and /proc/PID/cmdline show. */
        char name[256];
        snprintf(name, sizeof name, "%s", topics[i]);
        char *colon = strrchr(name, ':');
        int partitions = 1;
        if (colon) {
            *colon = '\0';
            partitions = number(colon + 1, 1, 1000, "partition count");
        }
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, name, partitions, replicas);
        if (err) {
            fprintf(stderr, "kmock: topic %s: %s\n", name, rd_kafka_err2str(err));
            rd_kafka_mock_cluster_destroy(cluster);
            rd_kafka_destroy(rk);
            return 1;
        }
    }

    printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
    fflush(stdout);

    for (;;) {
        int sig = 0;
        if (sigwait(&signals, &sig) != 0) continue;
        if (sig == SIGUSR1) set_brokers(cluster, max_brokers, 0);
        else if (sig == SIGUSR2) set_brokers(cluster, max_brokers, 1);
        else break;
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 0;
}
