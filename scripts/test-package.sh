#!/usr/bin/env bash
# The Debian package test (ctest's package_install; release preset only, cmake/packaging.cmake):
# checks the .debs' metadata and contents, installs aisle with dpkg, runs the installed aisle as
# an operator would (as the user aisle, with the packaged /etc/aisle/aisle.toml: ingest the
# bundled sample, train, recommend, then the unit's own command line on a free port), installs
# aisle-torch (where the build has the plugin) and checks that aisle loads it, verifies the
# systemd unit when systemd-analyze is there, and purges both, leaving the machine as it was.
# Exit 77 (skipped) when it cannot install: not root, aisle already known to dpkg, a user aisle
# that is not the package's, or dependencies dpkg cannot satisfy.
# Usage: scripts/test-package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
sample="$src/data/sample/online-retail.csv.zst"
fail() { echo "package test: FAIL: $*" >&2; exit 1; }
skip() { echo "package test: SKIP: $*"; exit 77; }
check() { echo "package test: ok: $*"; }

work=$(mktemp -d /tmp/aisle-package-test.XXXXXX)
chmod 755 "$work"
installed=0 server=""
cleanup() {
  if [[ -n "$server" ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [[ $installed -eq 1 ]]; then
    dpkg --purge aisle-torch aisle >/dev/null 2>&1 || echo "package test: dpkg --purge aisle-torch aisle failed" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE  # through cleanup: never leave the package installed

# The package: the one `make package` / `make test` wrote, else one built now into the temp folder
# (cpack on the built tree; with the tree up to date it compiles nothing).
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
deb="$build/aisle_${version}_${arch}.deb"
if [[ ! -f "$deb" || "$deb" -ot "$build/aisle" ]]; then
  echo "package test: $deb is missing or older than $build/aisle; running cpack into $work"
  (cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1) \
    || { cat "$work/cpack.log"; fail "cpack failed"; }
  deb="$work/cpack/aisle_${version}_${arch}.deb"
fi
[[ -f "$deb" ]] || fail "no package at $deb"
echo "package test: $deb ($(stat -c %s "$deb") bytes)"
# The torch plugin's package, where the build has the plugin.
torch_deb=""
if [[ -f "$build/libaisle_torch.so" ]]; then
  torch_deb="$(dirname "$deb")/aisle-torch_${version}_${arch}.deb"
  [[ -f "$torch_deb" ]] || fail "the build has the torch plugin but there is no $torch_deb"
fi

# Metadata.
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == aisle ]] || fail "Package is '$(field Package)', expected aisle"
[[ $(field Version) == "$version" ]] || fail "Version is '$(field Version)', expected $version"
[[ $(field Architecture) == "$arch" ]] || fail "Architecture is '$(field Architecture)', expected $arch"
[[ -n $(field Maintainer) && -n $(field Section) && -n $(field Description) ]] || fail "Maintainer, Section or Description missing"
depends=$(field Depends)
depends_names=$(sed 's/([^)]*)//g; s/|/,/g' <<<"$depends" | tr ',' '\n' | tr -d ' ')
for dep in libc6 libstdc++6 libsqlite3-0 libpq5 libzstd1 libcpp-httplib0.11 adduser; do
  grep -qxF "$dep" <<<"$depends_names" || fail "Depends lacks $dep: $depends"
done
[[ ! $depends =~ libtorch ]] || fail "Depends has libtorch (the torch plugin belongs in aisle-torch): $depends"
check "metadata (Depends: $depends)"

dpkg-deb -e "$deb" "$work/control"
[[ $(cat "$work/control/conffiles") == /etc/aisle/aisle.toml ]] || fail "conffiles is not /etc/aisle/aisle.toml"
for script in postinst prerm postrm; do
  [[ -x "$work/control/$script" ]] || fail "$script missing or not executable"
done
check "conffiles and maintainer scripts"

# Contents: what the package must have, and nothing outside its folders.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
for path in /usr/bin/aisle /etc/aisle/aisle.toml /lib/systemd/system/aisle.service \
  /usr/share/man/man1/aisle.1.gz /usr/share/man/man1/aisle-serve.1.gz /usr/share/man/man1/aisle-ingest.1.gz \
  /usr/share/doc/aisle/copyright /usr/share/doc/aisle/README.md /usr/share/doc/aisle/SERVING.md \
  /usr/share/doc/aisle/CONFIG.md; do
  grep -qx "$path" "$work/contents" || fail "the package lacks $path"
done
if grep -vE '^/(usr/bin/aisle|usr/share/(man/man1|doc/aisle)(/|$)|etc/aisle(/|$)|lib/systemd/system(/|$))' "$work/contents" \
  | grep -vxE '/|/usr/|/usr/bin/|/usr/share/|/usr/share/man/|/usr/share/doc/|/etc/|/lib/|/lib/systemd/' >"$work/stray"; then
  fail "files outside the package's folders: $(tr '\n' ' ' <"$work/stray")"
fi
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/aisle-serve.1.gz | gzip -d >"$work/aisle-serve.1"
grep -q '^\.TH AISLE-SERVE ' "$work/aisle-serve.1" || fail "aisle-serve.1 has no .TH AISLE-SERVE header"
grep -q '^\.SH OPTIONS' "$work/aisle-serve.1" || fail "aisle-serve.1 has no OPTIONS section"
grep -q 'listen' "$work/aisle-serve.1" || fail "aisle-serve.1 does not document --listen"
check "contents ($(wc -l <"$work/contents") entries) and man pages"
if [[ -n "$torch_deb" ]]; then
  [[ $(dpkg-deb -f "$torch_deb" Package) == aisle-torch ]] || fail "$torch_deb is not aisle-torch"
  torch_depends=$(dpkg-deb -f "$torch_deb" Depends)
  [[ $torch_depends =~ "aisle (= $version)" && $torch_depends =~ libtorch ]] \
    || fail "aisle-torch Depends lacks aisle (= $version) or libtorch: $torch_depends"
  dpkg-deb -c "$torch_deb" >"$work/torch-contents"
  grep -q ' \./usr/lib/aisle/libaisle_torch\.so$' "$work/torch-contents" || fail "aisle-torch lacks /usr/lib/aisle/libaisle_torch.so"
  check "aisle-torch (Depends: $torch_depends)"
fi

# Installing needs root and a machine without aisle.
[[ $(id -u) -eq 0 ]] || skip "installing with dpkg -i needs root (the metadata and contents checks passed)"
for package in aisle aisle-torch; do
  # Installed, or removed with its configuration kept (a purge would delete that configuration).
  state=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ -n "$state" && "$state" != not-installed ]]; then
    skip "the package $package is on this machine already ($state); not touching it"
  fi
done
if getent passwd aisle >/dev/null; then skip "a user named aisle exists and is not the package's; not touching it"; fi
installed=1
if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  cat "$work/dpkg.log"
  if grep -q 'dependency problems' "$work/dpkg.log"; then skip "dpkg cannot satisfy the package's dependencies here"; fi
  fail "dpkg -i failed"
fi
check "dpkg -i"

[[ $(stat -c %U /var/lib/aisle) == aisle ]] || fail "/var/lib/aisle is not owned by the user aisle"
/usr/bin/aisle --version | grep -q "^aisle $version " || fail "/usr/bin/aisle --version: $(/usr/bin/aisle --version)"
check "$(/usr/bin/aisle --version)"

# As an operator would: the packaged config, as the service's user, on the bundled sample.
cp "$sample" "$work/"
as_aisle() { setpriv --reuid=aisle --regid=aisle --init-groups -- "$@"; }
aisle() { as_aisle /usr/bin/aisle --config /etc/aisle/aisle.toml "$@"; }
aisle ingest online-retail "$work/$(basename "$sample")" >"$work/ingest.log" 2>&1 || { cat "$work/ingest.log"; fail "ingest"; }
[[ -f /var/lib/aisle/aisle.db ]] || fail "ingest did not write the store of /etc/aisle/aisle.toml"
aisle train >"$work/train.log" 2>&1 || { cat "$work/train.log"; fail "train"; }
[[ -f /var/lib/aisle/aisle.model ]] || fail "train did not write the model of /etc/aisle/aisle.toml"
aisle recommend --user 17850 --k 5 --json >"$work/recommend.json" || fail "recommend"
[[ $(grep -o '"item_id"' "$work/recommend.json" | wc -l) -eq 5 ]] || fail "recommend: not 5 items: $(cat "$work/recommend.json")"
check "ingest, train, recommend as the user aisle with /etc/aisle/aisle.toml"

# The service's command line (ExecStart of the unit), on a free port instead of the configured one.
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/aisle.service)
read -r -a command <<<"$exec_start"
setpriv --reuid=aisle --regid=aisle --init-groups -- "${command[@]}" --listen 127.0.0.1:0 2>"$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/.*listening on .* (port \([0-9]*\)).*/\1/p' "$work/serve.log")
  [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; fail "the service's command exited"; }
  sleep 0.1
done
base="http://127.0.0.1:$port"
curl -sf "$base/readyz" >/dev/null || { cat "$work/serve.log"; fail "the server never became ready"; }
answer=$(curl -sf "$base/api/recommendations?user_id=17850&k=3") || fail "GET /api/recommendations"
[[ $(grep -o '"item_id"' <<<"$answer" | wc -l) -eq 3 ]] || fail "GET /api/recommendations: $answer"
curl -sf -X POST "$base/api/feedback" -H 'Content-Type: application/json' -d '{"user_id": "17850", "item_id": "22752", "event": "purchase"}' >/dev/null \
  || fail "POST /api/feedback (the store in /var/lib/aisle must be writable by the user aisle)"
kill -TERM "$server"
status=0
wait "$server" || status=$?
[[ $status -eq 0 ]] || { cat "$work/serve.log"; fail "the server exited $status on SIGTERM, not 0"; }
server=""
check "the unit's ExecStart serves (port $port), takes feedback and stops on SIGTERM"

# The torch plugin from its package: found by the installed binary relative to itself.
if [[ -n "$torch_deb" ]]; then
  if dpkg -i "$torch_deb" >"$work/dpkg-torch.log" 2>&1; then
    /usr/bin/aisle models >"$work/models.txt"
    grep -q 'available: libtorch .*(plugin /usr/lib/aisle/libaisle_torch\.so)' "$work/models.txt" \
      || fail "the installed aisle does not load /usr/lib/aisle/libaisle_torch.so: $(grep -A1 '^sasrec' "$work/models.txt")"
    check "aisle-torch installed; aisle models: sasrec $(grep -o 'available: .*' "$work/models.txt")"
  else
    cat "$work/dpkg-torch.log"
    grep -q 'dependency problems' "$work/dpkg-torch.log" || fail "dpkg -i aisle-torch failed"
    echo "package test: aisle-torch not installed (dpkg cannot satisfy its dependencies here)"
  fi
fi

if command -v systemd-analyze >/dev/null; then
  # It also opens the unit's Documentation= man page, unless dpkg was told not to install man pages
  # (path-exclude in /etc/dpkg/dpkg.cfg.d, as in minimal images) or man is missing.
  man_check=--man=no
  if [[ -f /usr/share/man/man1/aisle-serve.1.gz ]] && command -v man >/dev/null; then man_check=--man=yes; fi
  systemd-analyze verify "$man_check" /lib/systemd/system/aisle.service >"$work/verify.log" 2>&1 \
    || { cat "$work/verify.log"; fail "systemd-analyze verify $man_check aisle.service"; }
  check "systemd-analyze verify $man_check aisle.service"
else
  echo "package test: systemd-analyze not installed; the unit is not verified"
fi

dpkg --purge aisle-torch aisle >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge aisle-torch aisle"; }
installed=0
for path in /usr/bin/aisle /etc/aisle /var/lib/aisle /lib/systemd/system/aisle.service /usr/lib/aisle; do
  [[ ! -e $path ]] || fail "$path is left after dpkg --purge"
done
! getent passwd aisle >/dev/null || fail "the user aisle is left after dpkg --purge"
! getent group aisle >/dev/null || fail "the group aisle is left after dpkg --purge"
check "dpkg --purge leaves nothing behind"
