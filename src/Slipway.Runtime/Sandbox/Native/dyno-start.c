/*
 * slipway-dyno-start: the first program of every sandboxed tree, started as root by slipwayd's launcher thread.
 *
 * usage: slipway-dyno-start [--keep-stdin] --seccomp FILE --uid UID [--cgroup-procs FILE]... [--bind-port PORT]...
 *                           -- PROGRAM [ARG]...
 *
 * In order, then it execs PROGRAM (bwrap) under the same pid:
 *  1. writes its pid into each cgroup.procs file, so the whole tree is charged and limited before any app code runs;
 *  2. reads stdin from /dev/null unless --keep-stdin, and sends stderr to stdout (one log stream per dyno);
 *  3. opens the seccomp filter on fd 3, where bwrap's --seccomp 3 reads it;
 *  4. restricts the tree with Landlock, which the kernel keeps across exec and user namespaces and no process below
 *     can lift: TCP binds only on the --bind-port ports (the dyno's $PORT, and 0 for an ephemeral port), so a dyno cannot
 *     take another dyno's port on the shared loopback (nftables filters connections, not binds); and no connecting to
 *     abstract unix sockets made outside the tree (the host's and other dynos'), which share the host's network namespace.
 *     What the kernel's Landlock ABI lacks is skipped; slipwayd reports the ABI when it starts;
 *  5. drops root for good: no_new_privs, no supplementary groups, real, effective and saved uid and gid all UID, and no
 *     capability left in any set (what `setpriv --reuid --regid --clear-groups --inh-caps=-all --no-new-privs` did).
 * It is C because this runs after fork in a tree slipwayd must not run managed code in, and it replaces a shell and
 * setpriv: one small static exec per dyno start instead of three.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_PORTS 16

/* From the kernel's uapi linux/landlock.h (ABI 4 and 6 postdate the headers of older distributions). */
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define LANDLOCK_RULE_NET_PORT 2
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)

struct ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
};

struct net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
} __attribute__((packed));

static void fail(const char *what) {
    fprintf(stderr, "slipway-dyno-start: %s: %s\n", what, strerror(errno));
    exit(126);
}

static void usage(const char *why) {
    fprintf(stderr, "slipway-dyno-start: %s\nusage: slipway-dyno-start [--keep-stdin] --seccomp FILE --uid UID "
                    "[--cgroup-procs FILE]... [--bind-port PORT]... -- PROGRAM [ARG]...\n", why);
    exit(2);
}

static void join_cgroup(const char *procs) {
    char pid[24];
    int length = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, (size_t)length) != length || close(fd) != 0)
        fail(procs);
}

static void move_fd(int from, int to) {
    if (from != to && (dup2(from, to) < 0 || close(from) != 0))
        fail("dup2");
}

/* A decimal number in [min, max], or the usage message. */
static unsigned long number(const char *text, unsigned long min, unsigned long max, const char *why) {
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 || value < min || value > max)
        usage(why);
    return value;
}

static void drop_to(uid_t uid) {
    if (setgroups(0, NULL) != 0 || setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0)
        fail("dropping to the app's uid");
    /* Leaving uid 0 cleared the permitted, effective and ambient sets; the inheritable set stays unless cleared. */
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = { 0 };
    if (syscall(SYS_capset, &header, none) != 0)
        fail("capset");
}

static void restrict_tree(const uint64_t *ports, int port_count) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 4)
        return; /* no Landlock, or no network rules: nothing this program can add */

    struct ruleset_attr attr = { .handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP };
    size_t size = offsetof(struct ruleset_attr, scoped);
    if (abi >= 6) {
        attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        size = sizeof attr;
    }

    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0)
        fail("landlock_create_ruleset");
    for (int i = 0; i < port_count; i++) {
        struct net_port_attr rule = { .allowed_access = LANDLOCK_ACCESS_NET_BIND_TCP, .port = ports[i] };
        if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_NET_PORT, &rule, 0) != 0)
            fail("landlock_add_rule");
    }

    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
        fail("landlock_restrict_self");
    close(ruleset);
}

int main(int argc, char **argv) {
    const char *seccomp = NULL;
    int keep_stdin = 0, port_count = 0, i = 1;
    uid_t uid = 0;
    uint64_t ports[MAX_PORTS];

    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--keep-stdin") == 0) {
            keep_stdin = 1;
        } else if (strcmp(argv[i], "--seccomp") == 0 && i + 1 < argc) {
            seccomp = argv[++i];
        } else if (strcmp(argv[i], "--cgroup-procs") == 0 && i + 1 < argc) {
            join_cgroup(argv[++i]);
        } else if (strcmp(argv[i], "--uid") == 0 && i + 1 < argc) {
            uid = (uid_t)number(argv[++i], 1, UINT32_MAX - 1, "--uid must be a number other than 0 (root)");
        } else if (strcmp(argv[i], "--bind-port") == 0 && i + 1 < argc) {
            if (port_count == MAX_PORTS)
                usage("too many --bind-port");
            ports[port_count++] = number(argv[++i], 0, 65535, "a --bind-port is not a port number");
        } else {
            usage(argv[i]);
        }
    }

    if (seccomp == NULL || uid == 0 || i + 1 >= argc)
        usage("--seccomp FILE, --uid UID and a PROGRAM after -- are required");

    if (!keep_stdin) {
        int null = open("/dev/null", O_RDONLY);
        if (null < 0)
            fail("/dev/null");
        move_fd(null, 0);
    }

    if (dup2(1, 2) < 0)
        fail("dup2");

    int filter = open(seccomp, O_RDONLY);
    if (filter < 0)
        fail(seccomp);
    move_fd(filter, 3);

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail("no_new_privs");
    restrict_tree(ports, port_count);
    drop_to(uid);
    execv(argv[i + 1], &argv[i + 1]);
    fprintf(stderr, "slipway-dyno-start: %s: %s\n", argv[i + 1], strerror(errno));
    return 127;
}
