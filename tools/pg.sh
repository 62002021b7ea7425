#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server's tests and benches (issue 15).
#
#   tools/pg.sh start DIR   initdb a new cluster into DIR/data (DIR must be absent or empty), start
#                           it on a free TCP port of 127.0.0.1, create the role and database
#                           `citizen` (which may read the settings: the tests find the Unix
#                           socket by them), and print one line on stdout, the URL to give the server:
#                               postgres://citizen@127.0.0.1:PORT/citizen
#                           (also written to DIR/url). The server's log is DIR/log. TLS is on,
#                           with a certificate for 127.0.0.1 signed by DIR/ca.crt, which also
#                           signed DIR/client.crt (key DIR/client.key) for the role citizen_cert,
#                           who signs in by that certificate only. Starting a DIR
#                           that already holds a cluster fails.
#   tools/pg.sh stop DIR    stop that cluster (fast shutdown) and remove DIR. Nothing to do, and no
#                           error, when it is already stopped or removed.
#   tools/pg.sh standby PRIMARY DIR
#                           a hot standby of the cluster `start` made in PRIMARY, in DIR: copied
#                           with pg_basebackup, streaming from it, started on a free port; prints
#                           its URL as `start` does (the role and database are the primary's).
#   tools/pg.sh promote DIR make the standby in DIR a primary (pg_ctl promote), as a failover does.
#
# The binaries are Debian's (/usr/lib/postgresql/<version>/bin, the newest version found); when
# there are none, the `postgresql` package is installed (apt-get, as root, or through sudo).
# Authentication is `trust`, on 127.0.0.1 and DIR's Unix socket only: nothing listens elsewhere.
# Durable as a production server would be (fsync, synchronous_commit on), so benches measure real
# commits; up to 300 connections, for replicas and concurrent tests. Run as root (as CI does), the
# cluster belongs to the `postgres` user (initdb refuses root) and DIR must be reachable by it.
set -euo pipefail

die() { printf 'pg.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'pg.sh: %s\n' "$*" >&2; }

usage="usage: tools/pg.sh start DIR | stop DIR | standby PRIMARY DIR | promote DIR"
if [[ $# -eq 3 && $1 == standby ]]; then
    primary=$2
    set -- "$1" "$3"
fi
[[ $# -eq 2 && ($1 == start || $1 == stop || $1 == standby || $1 == promote) && -n $2 ]] \
    || die "$usage"
cmd=$1

# An absolute path without a trailing slash, fit to be a cluster's directory.
absolute() {
    local d=$1
    [[ $d == /* ]] || d=$PWD/$d
    while [[ $d == */ && $d != / ]]; do d=${d%/}; done
    [[ $d != / ]] || die "refusing / as DIR"
    [[ $d != *[\',]* ]] || die "DIR may not hold a quote or a comma (postgresql.conf lists it): $d"
    echo "$d"
}
dir=$(absolute "$2")
if [[ -n ${primary:-} ]]; then primary=$(absolute "$primary"); fi
# Programs run as `postgres` may not be able to enter the caller's directory.
cd /

# Marks a DIR this script made: `stop` removes only such a DIR.
MARK=.pg-sh-cluster

# Libpq's environment would change where psql connects, or how.
while read -r var; do unset "$var"; done < <(compgen -e | grep '^PG' || true)

if [[ $(id -u) -eq 0 ]]; then ROOT=1; else ROOT=0; fi
# Who runs the cluster when we are root: `postgres` for a new one, DIR's owner for an existing one
# (a cluster a normal user started).
OWNER=postgres

# Runs a PostgreSQL program as the user owning the cluster.
as_pg() {
    if ((ROOT)) && [[ $OWNER != root ]]; then runuser -u "$OWNER" -- "$@"; else "$@"; fi
}

# The newest /usr/lib/postgresql/*/bin with an initdb in it.
find_bin() {
    local d
    d=$(for b in /usr/lib/postgresql/*/bin; do [[ -x $b/initdb ]] && echo "$b"; done | sort -V | tail -n1)
    [[ -n $d ]] && echo "$d"
}

install_postgresql() {
    local sudo=()
    if ((!ROOT)); then
        command -v sudo >/dev/null || die "PostgreSQL is not installed and there is no sudo to install it"
        sudo=(sudo)
    fi
    say "no PostgreSQL under /usr/lib/postgresql: installing Debian's postgresql package"
    # Only the binaries are wanted: no `main` cluster started as a system service on 5432.
    "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' \
        | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
    "${apt[@]}" install -y --no-install-recommends postgresql >&2 \
        || { "${apt[@]}" update >&2 && "${apt[@]}" install -y --no-install-recommends postgresql >&2; } \
        || die "could not install the postgresql package"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 40000))
}

# Starts the cluster in $dir/data on a free port of 127.0.0.1; prints the port.
start_on_free_port() {
    local bin=$1 port attempt out seen
    # A free port can be taken between the look and the bind: then another one.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        seen=0
        if [[ -f $dir/log ]]; then seen=$(wc -l <"$dir/log"); fi
        if out=$(as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -w -t 60 start 2>&1); then
            echo "$port"
            return
        fi
        tail -n "+$((seen + 1))" "$dir/log" 2>/dev/null | grep -q 'could not bind' \
            || { echo "$out" >&2; die "the server did not start"; }
        say "port $port was taken; trying another"
    done
    die "no free port found"
}

# Makes $dir (absent or empty) this script's, for a cluster: marked, and reachable by `postgres`
# when we are root; a failed start from here leaves it as it was found.
claim_dir() {
    [[ ! -e $dir/$MARK ]] || die "$dir already holds a cluster (tools/pg.sh stop $dir first)"
    if [[ -e $dir ]]; then
        [[ -d $dir ]] || die "$dir exists and is not a directory"
        [[ -z $(ls -A "$dir") ]] || die "$dir exists and is not empty"
        made_dir=0
    else
        mkdir -p "$dir"
        made_dir=1
    fi
    started=0
    trap 'failed_start' EXIT
    : >"$dir/$MARK"
    # A Unix socket's path has at most 107 bytes: DIR/.s.PGSQL.PORT.
    ((${#dir} <= 90)) || die "DIR is too long for a Unix socket path (${#dir} > 90 bytes): $dir"
    if ((ROOT)); then
        chown -R postgres: "$dir"
        chmod 755 "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "the postgres user cannot reach $dir (is a parent directory closed to it?)"
    fi
}

# Signs DIR/NAME.crt (key DIR/NAME.key) for SUBJECT with DIR's CA, with the X.509 v3 extension
# EXT (a certificate without extensions is v1, which rustls refuses).
issue() {
    local name=$1 subject=$2 ext=$3
    as_pg sh -c "printf '%s\\n' '$ext' >'$dir/$name.ext'" \
        && as_pg openssl req -newkey rsa:2048 -nodes -subj "$subject" \
            -keyout "$dir/$name.key" -out "$dir/$name.csr" >/dev/null 2>&1 \
        && as_pg openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
            -CAcreateserial -days 2 -extfile "$dir/$name.ext" -out "$dir/$name.crt" >/dev/null 2>&1
}

# The cluster in $dir is up on PORT: its URL, written to $dir/url and printed; the start stands.
announce() {
    local url="postgres://citizen@127.0.0.1:$1/citizen"
    echo "$url" >"$dir/url"
    started=1
    echo "$url"
}

standby() {
    [[ -e $primary/$MARK && -f $primary/url ]] || die "$primary holds no cluster made by tools/pg.sh start"
    local bin primary_port
    bin=$(find_bin) || die "no PostgreSQL installed"
    OWNER=$(stat -c %U "$primary/data")
    primary_port=$(sed -E 's|.*:([0-9]+)/.*|\1|' "$primary/url")
    claim_dir
    # initdb's pg_hba lets local replication connections in (trust, 127.0.0.1 only). A fast
    # checkpoint: the default spreads it over minutes.
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/data" -R \
        -X stream --checkpoint=fast --no-sync >"$dir/basebackup.log" 2>&1 \
        || { cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
    printf "\n# tools/pg.sh standby of %s\nunix_socket_directories = '%s'\n" "$primary" "$dir" \
        >>"$dir/data/postgresql.conf"
    # Its own copy of the CA that checks client certificates: the primary's may go first.
    if [[ -f $primary/ca.crt ]]; then
        as_pg cp "$primary/ca.crt" "$dir/ca.crt"
        printf "ssl_ca_file = '%s/ca.crt'\n" "$dir" >>"$dir/data/postgresql.conf"
    fi
    local port
    port=$(start_on_free_port "$bin")
    announce "$port"
}

promote() {
    [[ -e $dir/$MARK ]] || die "$dir holds no cluster made by tools/pg.sh"
    local bin
    bin=$(find_bin) || die "no PostgreSQL installed"
    OWNER=$(stat -c %U "$dir/data")
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null || die "could not promote $dir"
}

start() {
    local bin
    bin=$(find_bin) || { install_postgresql; bin=$(find_bin) || die "no initdb even after installing"; }
    # After the install: it makes the `postgres` user the directory is given to.
    claim_dir

    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    cat >>"$dir/data/postgresql.conf" <<EOF

# tools/pg.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
fsync = on
synchronous_commit = on
shared_buffers = 128MB
EOF
    # TLS, for the tests of `sslmode=require`: a CA of this cluster's own (DIR/ca.crt) signs the
    # server's certificate for 127.0.0.1 and localhost, and a client certificate
    # (DIR/client.crt and .key) for the role citizen_cert, who may sign in with it only. Plain
    # connections are still accepted for the other roles.
    if command -v openssl >/dev/null; then
        as_pg openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pg.sh test CA" \
            -keyout "$dir/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1 \
            && issue server "/CN=127.0.0.1" 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
            && as_pg mv "$dir/server.key" "$dir/server.crt" "$dir/data/" \
            && issue client "/CN=citizen_cert" 'extendedKeyUsage=clientAuth' \
            && printf "ssl = on\nssl_ca_file = '%s/ca.crt'\n" "$dir" >>"$dir/data/postgresql.conf" \
            && as_pg sh -c "{ printf 'hostssl all citizen_cert 127.0.0.1/32 cert\n'; \
                cat '$dir/data/pg_hba.conf'; } >'$dir/pg_hba.conf' \
                && mv '$dir/pg_hba.conf' '$dir/data/pg_hba.conf'" \
            || die "could not make the cluster's TLS certificates"
    else
        say "no openssl: the cluster runs without TLS (the TLS tests say they were skipped)"
    fi

    local port
    port=$(start_on_free_port "$bin")
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
        -c 'CREATE ROLE citizen LOGIN CREATEDB' \
        -c 'GRANT pg_read_all_settings TO citizen' \
        -c 'CREATE ROLE citizen_cert LOGIN' \
        -c 'CREATE DATABASE citizen OWNER citizen' >&2 \
        || die "could not create the role and database citizen"

    announce "$port"
}

failed_start() {
    ((started)) && return
    say "start failed: $dir is left as it was found"
    if [[ -f $dir/log ]]; then
        say "the server's log ($dir/log) ended:"
        tail -n 20 "$dir/log" >&2 || true
    fi
    local bin
    if [[ -f $dir/data/postmaster.pid ]] && bin=$(find_bin); then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    if ((made_dir)); then rm -rf "$dir"; else find "$dir" -mindepth 1 -delete; fi
}

stop() {
    [[ -e $dir ]] || return 0
    [[ -d $dir ]] || die "$dir is not a directory"
    if [[ ! -e $dir/$MARK ]]; then
        [[ -n $(ls -A "$dir") ]] || { rmdir "$dir"; return 0; }
        die "$dir was not made by tools/pg.sh start (no $MARK in it): not removing it"
    fi
    local pidfile=$dir/data/postmaster.pid
    if [[ -f $pidfile ]]; then
        local bin pid
        bin=$(find_bin) || die "a cluster seems to run in $dir but no pg_ctl is installed"
        OWNER=$(stat -c %U "$dir/data")
        if ! as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1; then
            # A pid file left by a crash: nothing runs. A live server is a real failure.
            pid=$(head -n1 "$pidfile" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]]; then
                die "could not stop the cluster in $dir (server process $pid; see $dir/log)"
            fi
        fi
    fi
    rm -rf "$dir"
}

"$cmd"
