# Shell functions shared by scripts/setup and scripts/test (sourced, not run).

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    # -n: fail at once rather than wait for a password nobody will type (CI, no terminal)
    elif command -v sudo >/dev/null; then sudo -n "$@" || {
        log "could not run as root: $* (run 'sudo -v' first, or run this as root)"; exit 1; }
    else log "need root (or sudo) to run: $*"; exit 1
    fi
}

# Install Debian packages that are missing: apt_install PACKAGE...
apt_install() {
    local missing=()
    for package in "$@"; do
        # "install ok installed" only: a removed package can still be known to dpkg.
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    # A fresh machine's unattended upgrades may hold the apt lock for a while: wait for it.
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -qq)
    as_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update
    as_root env DEBIAN_FRONTEND=noninteractive \
        "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
}
