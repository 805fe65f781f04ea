# Shared by scripts/start.sh and scripts/test.sh: install what is missing,
# so both commands work on a fresh Debian machine with Node 20 and nothing else.

# Debian packages the project needs at run time and in tests.
# tesseract reads scanned pages, in the languages of the call's documents.
DEBIAN_PACKAGES=(poppler-utils qpdf fonts-dejavu-core redis-server dovecot-imapd dovecot-lmtpd
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-ita tesseract-ocr-spa
  tesseract-ocr-por tesseract-ocr-nld tesseract-ocr-pol
  # OCR of the documents of the countries applicants come from (EU/EEA, then the wider ESR membership):
  # adapters/ocr/script-languages.ts chooses among them by the script of each scanned page.
  tesseract-ocr-bul tesseract-ocr-ces tesseract-ocr-dan tesseract-ocr-ell tesseract-ocr-est tesseract-ocr-fin
  tesseract-ocr-gle tesseract-ocr-hrv tesseract-ocr-hun tesseract-ocr-isl tesseract-ocr-lav tesseract-ocr-lit
  tesseract-ocr-ltz tesseract-ocr-mlt tesseract-ocr-nor tesseract-ocr-ron tesseract-ocr-slk tesseract-ocr-slv
  tesseract-ocr-swe
  tesseract-ocr-tur tesseract-ocr-ukr tesseract-ocr-rus tesseract-ocr-srp tesseract-ocr-srp-latn tesseract-ocr-mkd
  tesseract-ocr-sqi tesseract-ocr-bos tesseract-ocr-kat tesseract-ocr-hye tesseract-ocr-aze tesseract-ocr-kaz
  tesseract-ocr-ara tesseract-ocr-heb tesseract-ocr-fas)
# Only the tests need these: the dashboard's browser tests drive Debian's Chromium (never a downloaded one).
# postgresql: the PostgreSQL store is tested against a real server (dev/local/postgres-server.ts).
TEST_DEBIAN_PACKAGES=(chromium postgresql)

ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "esor-intake: installing Debian packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  # Installing must not start system services: the project starts its own, on its own ports.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $own_policy -eq 0 ] || "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
}

# Installed when the lock's content changed, judged by a hash stamp, not by file times: a fresh
# clone or git worktree has a lock newer than any install, so times made `npm ci` run (and a
# worktree whose node_modules links to another checkout's had that checkout's packages wiped).
ensure_node_modules() {
  local want stamp=node_modules/.esor-intake-lock-sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  if [ -L node_modules ]; then
    echo "esor-intake: node_modules links elsewhere and was not installed from this package-lock.json;" >&2
    echo "esor-intake: not running npm ci through the link (it would empty the other checkout's packages)." >&2
    return 0
  fi
  echo "esor-intake: installing npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

ensure_build() {
  npx tsc -p tsconfig.build.json
}
