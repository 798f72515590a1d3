#!/usr/bin/env bash
# Run podman's own BATS system tests (tag v4.3.1) against berth, or against podman for comparison.
#
#   scripts/podman-system-tests.sh [--engine berth|podman] PODMAN_GIT_DIR [FILE...]
#
# PODMAN_GIT_DIR is a git directory of containers/podman (a bare mirror is enough). The tests are
# read from it into a temp dir; none of podman's code enters this project. FILE names test files
# of test/system (default: the files the compatibility table covers). The test image
# (quay.io/libpod/testimage:20220615) is built offline, the way upstream's build-testimage
# describes it, from /bin/busybox. PODMAN points at a wrapper that gives the engine a private
# --root/--runroot; it answers `pull` of exactly the test image by importing it again (upstream's
# helpers pull it whenever a test removed it), and hands every other command to the engine.
# Prints bats' TAP, then a last line `N passed, N failed, N skipped`.
set -euo pipefail

engine=berth
if [ "${1:-}" = "--engine" ]; then
  engine=${2:?--engine needs berth or podman}
  shift 2
fi
case "$engine" in berth | podman) ;; *)
  echo "Error: --engine must be berth or podman" >&2
  exit 2
  ;;
esac
git_dir=${1:?usage: scripts/podman-system-tests.sh [--engine berth|podman] PODMAN_GIT_DIR [FILE...]}
shift
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(030-run.bats 035-logs.bats 040-ps.bats 045-start.bats 050-stop.bats 055-rm.bats 130-kill.bats)
fi
for tool in bats git busybox tar; do
  command -v "$tool" >/dev/null || {
    echo "Error: $tool is not installed (scripts/install-deps.sh --with-test-tools)" >&2
    exit 2
  }
done
[ "$(id -u)" = 0 ] || {
  echo "Error: the system tests run containers as root" >&2
  exit 2
}

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t berth-podman-tests.XXXXXX)
cleanup() {
  # Containers left by a failed test would keep mounts under $work busy.
  PODMAN_QUIET=1 "$work/bin/podman" rm -t 0 -a -f >/dev/null 2>&1 || true
  grep -F " $work/" /proc/self/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git --git-dir="$git_dir" archive v4.3.1 test/system | tar -x -C "$work"
tests="$work/test/system"

# --- the test image: busybox and its applets, /home/podman/{testimage-id,pause} ---------------
image=quay.io/libpod/testimage:20220615
rootfs="$work/testimage"
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,home/podman,root,tmp,var/tmp,proc,sys,dev,run}
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $(busybox --list-full); do
  [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
done
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
# The accounts and groups of the alpine base that upstream's image starts from.
cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/ash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
man:x:13:15:man:/usr/man:/sbin/nologin
postmaster:x:14:12:postmaster:/var/mail:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
at:x:25:25:at:/var/spool/cron/atjobs:/sbin/nologin
squid:x:31:31:Squid:/var/cache/squid:/sbin/nologin
xfs:x:33:33:X Font Server:/etc/X11/fs:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
cyrus:x:85:12::/usr/cyrus:/sbin/nologin
vpopmail:x:89:89::/var/vpopmail:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
smmsp:x:209:209:smmsp:/var/spool/mqueue:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin,adm
adm:x:4:root,adm,daemon
tty:x:5:
disk:x:6:root,adm
lp:x:7:lp
mem:x:8:
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
man:x:15:man
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
at:x:25:at
tape:x:26:root
video:x:27:root
netdev:x:28:
readproc:x:30:
squid:x:31:squid
xfs:x:33:xfs
kvm:x:34:kvm
games:x:35:
shadow:x:42:
cdrw:x:80:
www-data:x:82:
usb:x:85:
vpopmail:x:89:
users:x:100:games
ntp:x:123:
nofiles:x:200:
smmsp:x:209:smmsp
locate:x:245:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
EOF
echo 20220615 >"$rootfs/home/podman/testimage-id"
touch --date=@1600000000 "$rootfs/home/podman/testimage-id"
cat >"$rootfs/home/podman/pause" <<'EOF'
#!/bin/sh
#
# Trivial little pause script, used in one of the pod tests
#
echo Confirmed: testimage pause invoked as $0
while :; do
    sleep 0.1
done
EOF
chmod 755 "$rootfs/home/podman/pause"
# Debian's busybox-static has no printenv applet; Alpine's busybox has /bin/printenv.
cat >"$rootfs/bin/printenv" <<'EOF2'
#!/bin/sh
# printenv as Alpine's busybox has it: the environment this script was started with, read from
# /proc (ash itself exports a default PATH when none was given).
if [ $# -eq 0 ]; then /usr/bin/tr '\0' '\n' </proc/$$/environ; exit 0; fi
rc=0
for n in "$@"; do
  v=$(/usr/bin/tr '\0' '\n' </proc/$$/environ | /bin/grep "^$n=") || { rc=1; continue; }
  printf '%s\n' "${v#*=}"
done
exit $rc
EOF2
chmod 755 "$rootfs/bin/printenv"
ln -s ../proc/mounts "$rootfs/etc/mtab"
tarball="$work/testimage.tar"
tar -C "$rootfs" --numeric-owner -cf "$tarball" .

# --- the wrapper that tests call as $PODMAN ---------------------------------------------------
mkdir -p "$work/bin" "$work/root" "$work/runroot"
chmod 700 "$work/root" "$work/runroot"
if [ "$engine" = berth ]; then
  if [ -x "$here/dist/berth" ]; then
    engine_cmd="\"$here/dist/berth\""
  else
    engine_cmd="deno run -A --no-config \"$here/main.ts\""
  fi
  engine_cmd="$engine_cmd --root \"$work/root\" --runroot \"$work/runroot\""
else
  # podman 4.3 needs runc, cgroupfs and ulimits within this host's hard limits to run at all.
  cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  engine_cmd="env CONTAINERS_CONF=\"$work/containers.conf\" podman --root \"$work/root\" --runroot \"$work/runroot\""
fi
cat >"$work/bin/podman" <<EOF
#!/usr/bin/env bash
# \$PODMAN for podman's system tests: the engine under test with a private store.
if [ "\${1:-}" = pull ] && [ "\${!#}" = "$image" ]; then
  # No registry is reachable: the test image is imported again instead.
  id=\$($engine_cmd import --quiet \\
    --change 'CMD ["/bin/echo", "This container is intended for podman CI testing"]' \\
    --change 'WORKDIR /home/podman' \\
    --change 'LABEL created_by=test/system/build-testimage' \\
    --change 'LABEL created_at=2022-06-15T00:00:00Z' \\
    "$tarball" "$image") || exit \$?
  echo "\$id"
  exit 0
fi
exec $engine_cmd "\$@"
EOF
chmod 755 "$work/bin/podman"
"$work/bin/podman" pull "$image" >/dev/null

# --- run them ---------------------------------------------------------------------------------
paths=()
for f in "${files[@]}"; do
  [ -f "$tests/$f" ] || {
    echo "Error: no such test file in podman v4.3.1: $f" >&2
    exit 2
  }
  paths+=("$tests/$f")
done
tap="$work/tap.txt"
PODMAN="$work/bin/podman" PODMAN_TIMEOUT=${PODMAN_TIMEOUT:-120} \
  bats --tap ${BATS_FILTER:+--filter "$BATS_FILTER"} "${paths[@]}" | tee "$tap" || true
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$tap" || true)
ok=$(grep -cE '^ok [0-9]+' "$tap" || true)
failed=$(grep -cE '^not ok [0-9]+' "$tap" || true)
echo "$((ok - skipped)) passed, $failed failed, $skipped skipped"
