#!/usr/bin/env bash
# Okta Medic: set-up, build and test, on Debian 12 with only package-registry network
# (apt, crates.io, npm). Idempotent: every install is skipped when already done.
#
#   ./build.sh          install the build tools when missing; build the wasm core, the Chrome and
#                       Firefox extensions (dist/) and the CLI (target/release/okta-medic)
#   ./build.sh test     also install the browsers and drivers when missing; build; then run every
#                       test tier and exit non-zero if any failed
#
# Traps this script avoids are measured in ../shared/reference/toolchain.md: Debian's binaryen
# (wasm-opt 108) breaks wasm-bindgen's output, `cargo install wasm-bindgen-cli --locked` fails,
# npm's wasm-pack and geckodriver download from GitHub.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
export PATH="$CARGO_BIN:$PATH"

WASM_TARGET=wasm32-unknown-unknown
# The wasm keeps the file of each panic location. A dependency's file is under this machine's
# cargo home (/root/.cargo/registry/src/…), so without the remap the shipped modules would hold
# the builder's home directory, and a rebuild under another home (a release's SOURCE.md check)
# would not give the same bytes. bench/wasm-build.mjs passes the same flag.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/="
CORE_WASM=target/$WASM_TARGET/release/okta_medic.wasm
PKG_DIR=extension/pkg
BG_WASM=$PKG_DIR/okta_medic_bg.wasm
UI_WASM=$PKG_DIR/okta_medic_ui_bg.wasm
CLI=target/release/okta-medic
BINARYEN_VERSION=132 # npm binaryen@132.0.0 (package.json); never Debian's /usr/bin/wasm-opt
WASM_OPT=node_modules/.bin/wasm-opt
WEB_EXT=node_modules/.bin/web-ext
NPM_STAMP=node_modules/.okta-medic-npm-ci
BROWSERS=(chrome firefox)
APT_PACKAGES=(chromium chromium-driver firefox-esr openssl) # openssl: the live E2E's throwaway TLS certificate

usage() {
  cat <<'EOF'
usage: ./build.sh [build|test|release|packages|bench|demo [--smoke]|fuzz [SECONDS]|help]

  build (default)  install build tools when missing (wasm32 target, wasm-bindgen-cli, npm ci),
                   build the wasm core, dist/chrome, dist/firefox, their packages, the offline
                   page dist/web/ and the CLI
  test             also install chromium, chromium-driver, firefox-esr and geckodriver when
                   missing, build, then run cargo fmt --check, clippy, cargo test, the wasm
                   contract tests, the extension's and mock Okta's unit tests, web-ext lint,
                   the size budget (bench/size-budget.json),
                   and the Chromium and Firefox E2E tests, the offline page's included
                   (UPDATE_SCREENSHOTS=1 rewrites docs/popup-token.png, docs/panel-har.png
                   and the store screenshots docs/store/*.png)
  bench            speed and size against the peers (jose, jwt-decode), popup latency and page
                   overhead in headless Chromium; prints a table, writes bench/results.json
  demo [--smoke]   live capture against a loopback mock Okta: starts the mock (as
                   dev-1234.okta.com and dev-5678.oktapreview.com) and a sample app whose
                   buttons trigger 401, 403 (missing scope), 429, an /authorize redirect with
                   user_not_assigned and an IDX E0000004, and opens Chromium with dist/chrome
                   on it (headed when a display exists, else prints the URLs and how to load
                   it); --smoke clicks every button headless and prints what was captured
  fuzz [SECONDS]   fuzz every core target for SECONDS each (default 60) with cargo-fuzz on
                   the nightly toolchain, seeded from tests/fixtures; fails on any crash
  release          from a clean git tree: build, then write dist/release/ (the Chrome zip, the
                   Firefox xpi, the offline page zip, the source archive with SOURCE.md, and
                   SHA256SUMS), rebuild from the source archive in a temporary directory, fail
                   unless the packages are byte-identical, and run tests/release/
  packages         the part of the build a release repeats: wasm, dist/chrome, dist/firefox,
                   dist/web (no CLI, no zips)
  help             show this message
EOF
}

log() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'build.sh: error: %s\n' "$*" >&2
  exit 1
}
now_us() { echo "${EPOCHREALTIME/./}"; }
seconds_since() { # $1 = start in µs → "12.3s"
  local us=$(($(now_us) - $1))
  printf '%d.%ds' $((us / 1000000)) $((us % 1000000 / 100000))
}
human_size() { # bytes → "58095 B (56.7 KiB)"
  local bytes
  bytes=$(stat -c %s "$1")
  printf "%d B (%d.%d KiB)" "$bytes" $((bytes / 1024)) $((bytes % 1024 * 10 / 1024))
}

# ---------------------------------------------------------------------------------------------
# Tools

check_prerequisites() {
  local tool
  for tool in cargo rustup node npm; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH; install Rust (rustup) and Node.js >= 20 first"
  done
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  ((major >= 20)) || die "Node.js >= 20 is required (found $(node --version))"
}

ensure_wasm_target() {
  # Captured first: with pipefail, `grep -q` closing the pipe early could fail the producer.
  local installed
  installed=$(rustup target list --installed)
  if grep -qx "$WASM_TARGET" <<<"$installed"; then
    echo "rust target $WASM_TARGET: installed"
  else
    log "rustup target add $WASM_TARGET"
    rustup target add "$WASM_TARGET"
  fi
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must be exactly this version, or
# wasm-bindgen refuses the module ("different bindgen format", toolchain.md §1).
locked_wasm_bindgen_version() {
  [[ -f Cargo.lock ]] || cargo generate-lockfile
  local versions
  versions=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
  [[ -n $versions ]] || die "Cargo.lock has no wasm-bindgen package (is it a dependency of crate/?)"
  [[ $(wc -l <<<"$versions") -eq 1 ]] || die "Cargo.lock resolves several wasm-bindgen versions: $(tr '\n' ' ' <<<"$versions")"
  echo "$versions"
}

installed_wasm_bindgen_version() {
  if command -v wasm-bindgen >/dev/null 2>&1; then
    wasm-bindgen --version 2>/dev/null | awk '{ print $2 }'
  fi
}

ensure_wasm_bindgen() {
  local want have
  want=$(locked_wasm_bindgen_version)
  have=$(installed_wasm_bindgen_version)
  if [[ $have == "$want" ]]; then
    echo "wasm-bindgen-cli $want: installed"
    return
  fi
  log "cargo install wasm-bindgen-cli --version $want (found: ${have:-none})"
  # No --locked: its lockfile pins a webpki-roots release crates.io does not have.
  cargo install wasm-bindgen-cli --version "$want"
  have=$(installed_wasm_bindgen_version)
  [[ $have == "$want" ]] || die "Cargo.lock pins wasm-bindgen $want, but 'wasm-bindgen --version' ($(command -v wasm-bindgen || echo 'not on PATH')) prints '${have:-nothing}'. Put $CARGO_BIN first on PATH or remove the other wasm-bindgen."
}

ensure_npm_tools() {
  local want
  want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1) node-$(node --version)"
  if [[ -f $NPM_STAMP && $(<"$NPM_STAMP") == "$want" ]]; then
    echo "npm devDependencies: up to date with package-lock.json"
  else
    log "npm ci"
    npm ci --no-audit --no-fund
    echo "$want" >"$NPM_STAMP"
  fi
  local version
  version=$("$WASM_OPT" --version)
  [[ $version == *"version $BINARYEN_VERSION "* ]] ||
    die "$WASM_OPT is not binaryen $BINARYEN_VERSION ($version); run 'rm -rf node_modules' and retry"
}

# ---------------------------------------------------------------------------------------------
# Build

# Two wasm modules from the one crate (crate/Cargo.toml [features], crate/src/wasm/mod.rs):
# `sw` (extension/pkg/okta_medic*: the tabs' live capture; all the service worker loads) and
# `ui` (extension/pkg/okta_medic_ui*: analysis of pasted text, exchanges and HAR entries, the
# panel's sessions, the words, the exports and signature verification; all the UI pages load).
# Each is linked from its own exports only, so the service worker's module carries no wording,
# no paste recognition, no HAR reading and no SAML reading. The ui module is built with both
# features: it also exports the live capture (`liveFoldFields` …), the full module the worker
# folds an exchange mentioning SAML in (crate/src/wasm/live.rs).
build_wasm() {
  local t0 module features name cargo_start cargo_us=0 bindgen_us=0
  rm -rf "$PKG_DIR"
  for module in sw ui; do
    name=okta_medic
    features=sw
    [[ $module == sw ]] || { name=okta_medic_$module; features=ui,sw; }
    cargo_start=$(now_us)
    log "cargo build --release --target $WASM_TARGET -p okta-medic --lib --features $features"
    cargo build --release --target "$WASM_TARGET" -p okta-medic --lib --features "$features"
    cargo_us=$((cargo_us + $(now_us) - cargo_start))

    t0=$(now_us)
    log "wasm-bindgen --target web → $PKG_DIR/$name.js"
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
      --out-dir "$PKG_DIR" --out-name "$name" "$CORE_WASM"
    [[ $module == sw ]] && SIZE_BINDGEN=$(human_size "$BG_WASM")

    log "wasm-opt -Oz (npm binaryen $BINARYEN_VERSION) $name"
    "$WASM_OPT" -Oz -o "$PKG_DIR/${name}_bg.wasm.opt" "$PKG_DIR/${name}_bg.wasm"
    mv "$PKG_DIR/${name}_bg.wasm.opt" "$PKG_DIR/${name}_bg.wasm"
    bindgen_us=$((bindgen_us + $(now_us) - t0))
  done
  TIME_CARGO_WASM=$(seconds_since $(($(now_us) - cargo_us)))
  TIME_BINDGEN_OPT=$(seconds_since $(($(now_us) - bindgen_us)))
}

# dist/$browser is what ships. dist/$browser-test is the same files with the test overlay
# (extension/manifest.test.json: host access to http(s)://127.0.0.1/*), so that the E2E's
# permissions.request for the loopback mock Okta resolves granted without a prompt no headless
# browser can answer. It is never packaged.
assemble_extension() { # $1 = output dir, $2… = manifest overlays after the base
  local out=$1 entry
  shift
  log "$out/"
  rm -rf "$out"
  mkdir -p "$out"
  for entry in extension/*; do
    case ${entry##*/} in
    manifest.*.json) continue ;; # the sources of the merged manifest.json
    esac
    cp -R "$entry" "$out/"
  done
  node tools/merge-manifest.mjs extension/manifest.base.json "$@" "$out/manifest.json"
  # The popup's 19 modules as one file (its first finding ~34 ms sooner; docs/performance-log.md):
  # an ES module beside the wasm-bindgen glue, without whole-line comments; popup.html loads it
  # and the modules nothing else in dist names leave it: the popup's own four, and lib/'s that
  # only the popup imports (paste-view.js, live-view.js, actions.js; tools/bundle.mjs --prune).
  node tools/bundle.mjs "$out/popup/popup.js" "$out/popup/popup.bundle.js" --format module \
    --external "$out/pkg" --strip-comments --page "$out/popup/popup.html" --prune
}

assemble_extensions() {
  local browser
  for browser in "${BROWSERS[@]}"; do
    assemble_extension "dist/$browser" "extension/manifest.$browser.json"
    assemble_extension "dist/$browser-test" "extension/manifest.$browser.json" extension/manifest.test.json
  done
}

package_extensions() {
  local browser
  for browser in "${BROWSERS[@]}"; do
    log "web-ext build → dist/okta-medic-$browser.zip"
    "$WEB_EXT" build --source-dir "dist/$browser" --artifacts-dir dist \
      --filename "okta-medic-$browser.zip" --overwrite-dest --no-input
  done
}

# dist/web/: the offline page (web/index.html) on the UI wasm module, for machines where
# extensions are blocked. Classic scripts only, so that it opens from file:// in Chrome too:
# tools/bundle.mjs concatenates web/core.js (with the wasm bytes inline) and web/app.js with the
# extension's renderers they import, without whole-line comments, and writes web/index.html
# with the panel's HAR view markup in place of its includes (--html). The same files work from
# any static host.
build_web() {
  log "dist/web/ (offline page)"
  rm -rf dist/web
  mkdir -p dist/web
  node tools/bundle.mjs web/core.js dist/web/core.js --format classic --strip-comments \
    --inline "inline:okta_medic_ui_bg.wasm=$UI_WASM"
  node tools/bundle.mjs web/app.js dist/web/app.js --format classic --strip-comments \
    --html web/index.html=dist/web/index.html
  cp web/web.css extension/popup/popup.css extension/popup/report.css \
    extension/devtools/panel.css extension/icons/icon-32.png dist/web/
}

build_cli() {
  local t0
  t0=$(now_us)
  log "cargo build --release -p okta-medic"
  cargo build --release -p okta-medic
  TIME_CLI=$(seconds_since "$t0")
}

print_build_summary() {
  cat <<EOF

Built (in $1):
  $BG_WASM  $(human_size "$BG_WASM")  [wasm-bindgen output before wasm-opt -Oz: $SIZE_BINDGEN]
  $UI_WASM  $(human_size "$UI_WASM")
  dist/chrome/                      unpacked Chrome extension
  dist/firefox/                     unpacked Firefox extension
  dist/chrome-test/, firefox-test/  E2E builds with host access to http://127.0.0.1 (never ship)
  dist/okta-medic-chrome.zip        $(human_size dist/okta-medic-chrome.zip)
  dist/okta-medic-firefox.zip       $(human_size dist/okta-medic-firefox.zip)
  dist/web/index.html               offline page (open it from the file system)
  $CLI         $(human_size "$CLI")
Times: cargo wasm32 $TIME_CARGO_WASM, wasm-bindgen + wasm-opt $TIME_BINDGEN_OPT, CLI $TIME_CLI

Load it:
  Chrome:  chrome://extensions → Developer mode → Load unpacked → $ROOT/dist/chrome
  Firefox: about:debugging#/runtime/this-firefox → Load Temporary Add-on… →
           $ROOT/dist/firefox/manifest.json (or dist/okta-medic-firefox.zip)
  CLI:     $CLI --help      e.g.  pbpaste | $CLI
EOF
}

build() {
  local t0
  t0=$(now_us)
  check_prerequisites
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_tools
  build_wasm
  assemble_extensions
  package_extensions
  build_web
  build_cli
  print_build_summary "$(seconds_since "$t0")"
}

# What a release builds twice (and what SOURCE.md tells store reviewers to run): the wasm, the
# unpacked extensions and the offline page; no CLI, no web-ext zips (tools/release.mjs zips).
packages() {
  check_prerequisites
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_tools
  build_wasm
  assemble_extensions
  build_web
}

# ---------------------------------------------------------------------------------------------
# Release: dist/release/ holds the store packages, the offline page, the source archive and
# SHA256SUMS (tools/release.mjs), proven reproducible by a second clean build made from the
# source archive itself in a temporary directory, compared byte for byte.

release() {
  local t0 tmp version src
  t0=$(now_us)
  git rev-parse --git-dir >/dev/null 2>&1 || die "release: needs a git checkout (the source archive is HEAD)"
  [[ -z $(git status --porcelain --untracked-files=no) ]] ||
    die "release: commit your changes first: the source archive is HEAD, and the second build is made from it"
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
  export SOURCE_DATE_EPOCH
  build
  version=$(node --input-type=module -e "import { crateVersion } from './tools/merge-manifest.mjs'; console.log(crateVersion())")
  log "dist/release/ (okta-medic-$version: packages, offline page, source archive, SHA256SUMS)"
  node tools/release.mjs pack dist dist/release --source
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/okta-medic-release-XXXXXX")
  src=$tmp/okta-medic-$version-source
  log "second clean build, from dist/release/okta-medic-$version-source.zip in $tmp"
  unzip -q "dist/release/okta-medic-$version-source.zip" -d "$tmp"
  ln -s "$ROOT/node_modules" "$src/node_modules" # the npm tools only (package-lock.json)
  (cd "$src" && ./build.sh packages && node tools/release.mjs pack dist "$tmp/release")
  node tools/release.mjs compare dist/release "$tmp/release"
  rm -rf "$tmp"
  log "tests/release/"
  node --test --test-reporter=spec tests/release/
  printf '\nRelease okta-medic %s in dist/release/ (%s, two clean builds, identical):\n' "$version" "$(seconds_since "$t0")"
  (cd dist/release && cat SHA256SUMS)
}

# ---------------------------------------------------------------------------------------------
# Test

ensure_test_tools() {
  local pkg missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
      command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${missing[*]}"
      sudo=(sudo)
    fi
    log "apt-get install ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "apt packages ${APT_PACKAGES[*]}: installed"
  fi
  if command -v geckodriver >/dev/null 2>&1; then
    echo "geckodriver: $(command -v geckodriver)"
  else
    log "cargo install geckodriver --locked"
    cargo install geckodriver --locked
  fi
  [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing chromium"
  [[ -x /usr/bin/firefox-esr ]] || die "/usr/bin/firefox-esr is missing after installing firefox-esr"
}

# ---------------------------------------------------------------------------------------------
# Fuzz: coverage-guided fuzzing of the core (cargo-fuzz + libFuzzer, nightly toolchain).

FUZZ_TARGETS=(analyze_text analyze_exchange parsers har_entry timeline_fold redact_json flow_fold saml stored_read handed_back json_reader)

# cargo-fuzz builds with nightly's -Z flags (libFuzzer, sanitizers): the nightly toolchain
# (minimal profile: rustc, cargo, std) and cargo-fuzz are installed when missing and skipped
# when present, so a fresh machine needs only rustup. A dated nightly (nightly-2025-01-01-…)
# is not `+nightly`, so only the undated one counts.
ensure_fuzz_tools() {
  local toolchains
  toolchains=$(rustup toolchain list) # captured first: see ensure_wasm_target
  if grep -qE '^nightly-[^0-9]' <<<"$toolchains"; then
    echo "rust toolchain nightly: installed"
  else
    log "rustup toolchain install nightly --profile minimal"
    rustup toolchain install nightly --profile minimal
  fi
  if cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz: installed"
  else
    log "cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked
  fi
}

fuzz() { # $1 = seconds per target (default 60)
  local secs=${1:-60} target corpus case crashes=0
  [[ $secs =~ ^[0-9]+$ ]] || die "fuzz: SECONDS must be a whole number, got '$secs'"
  ensure_fuzz_tools
  log "cargo +nightly fuzz build"
  (cd crate && cargo +nightly fuzz build -O)
  for target in "${FUZZ_TARGETS[@]}"; do
    corpus=crate/fuzz/corpus/$target
    mkdir -p "$corpus"
    # Seed every target from the golden fixtures (real Okta shapes), then let libFuzzer mutate.
    for case in tests/fixtures/*/; do
      if [[ $target == timeline_fold ]]; then
        # Stored timeline, digest and reports (empty), then the fixture as one line (JSON has no
        # raw newline inside a string, so dropping newlines keeps an exchange fixture valid).
        { printf '{}\n{}\n[]\n'; tr -d '\n' <"$case/input.txt"; } >"$corpus/seed-$(basename "$case")"
      else
        cp "$case/input.txt" "$corpus/seed-$(basename "$case")"
      fi
    done
    if [[ $target == stored_read ]]; then
      # What earlier versions stored: digest, timeline and reports, one line each.
      for case in tests/stored/tab-state-*.json; do
        node -e 'const t = Object.values(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")))[0];
          console.log([t.digest, t.timeline, t.reports].map((v) => JSON.stringify(v)).join("\n"))' "$case" \
          >"$corpus/seed-$(basename "$case" .json)"
      done
    fi
    if [[ $target == handed_back ]]; then
      # Reports as the core writes them (data and worded): what the pages hand back.
      for case in tests/fixtures/*/; do
        cp "$case/expected.json" "$corpus/seed-report-$(basename "$case")"
      done
    fi
    if [[ $target == redact_json || $target == har_entry ]]; then
      cp tests/secrets/corpus.har "$corpus/seed-secrets-corpus"
    fi
    log "fuzz $target for ${secs}s"
    if ! (cd crate && cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1); then
      crashes=$((crashes + 1))
      echo "fuzz: $target found a failure; the input is under crate/fuzz/artifacts/$target/" >&2
    fi
  done
  ((crashes == 0)) || die "fuzz: $crashes target(s) failed"
  echo "fuzz: ${#FUZZ_TARGETS[@]} targets, ${secs}s each, no crash"
}

FAILED=()
RESULTS=()
# Runs one test tier, prints its own output untouched, records pass/fail and time, carries on.
step() {
  local name=$1 t0 status
  shift
  log "$name: $*"
  t0=$(now_us)
  if "$@"; then status=ok; else status=FAILED; FAILED+=("$name"); fi
  RESULTS+=("$(printf '  %-18s %-7s %s' "$name" "$status" "$(seconds_since "$t0")")")
}

run_tests() {
  local t0
  t0=$(now_us)
  ensure_test_tools
  local tools_time
  tools_time=$(seconds_since "$t0")
  t0=$(now_us)
  build
  RESULTS+=("$(printf '  %-18s %-7s %s' 'test tools' ok "$tools_time")")
  RESULTS+=("$(printf '  %-18s %-7s %s' 'build' ok "$(seconds_since "$t0")")")

  GECKODRIVER=$(command -v geckodriver)
  export GECKODRIVER
  # Fails when the service worker's wasm (gzip) or a package outgrows bench/size-budget.json.
  step size-budget node bench/size-budget.mjs
  step fmt cargo fmt --all --check
  step clippy cargo clippy --workspace --all-targets -- -D warnings
  # wasm/ only compiles for wasm32, so lint that target too (both modules: --all-features).
  step clippy-wasm cargo clippy --target wasm32-unknown-unknown -p okta-medic --lib --all-features -- -D warnings
  # …and the sw module alone: its cfg(all(sw, not(ui))) code (json::from_str's own reader, and
  # cfg saml_deferred: no SAML reading, crate/build.rs) is compiled only there.
  step clippy-wasm-sw cargo clippy --target wasm32-unknown-unknown -p okta-medic --lib --features sw -- -D warnings
  # The core's own documentation, private items included (most of it is pub(crate)): a broken
  # intra-doc link or a bare URL fails. Links from public to private items are how it reads.
  step rustdoc env RUSTDOCFLAGS='-D warnings -A rustdoc::private-intra-doc-links' \
    cargo doc -p okta-medic --no-deps --document-private-items
  step cargo-test cargo test --workspace
  step contract node --test --test-reporter=tap tests/contract/
  step cli-har-memory python3 tests/cli/har_memory.py
  # A short coverage-guided smoke run of every fuzz target (./build.sh fuzz SECONDS for long runs).
  step fuzz-smoke "$0" fuzz 10
  step extension node --test --test-reporter=tap tests/extension/ tests/mock-okta/
  step web-ext-lint "$WEB_EXT" lint --source-dir dist/firefox --no-input --warnings-as-errors
  # Node 20's `node --test DIR` collects *.test.* only, so the browser specs are listed by name.
  step e2e-chromium node --test --test-reporter=tap tests/e2e/chromium.spec.mjs
  step e2e-firefox node --test --test-reporter=tap tests/e2e/firefox.spec.mjs
  step verify-chromium node --test --test-reporter=tap tests/e2e/verify-chromium.spec.mjs
  step verify-firefox node --test --test-reporter=tap tests/e2e/verify-firefox.spec.mjs
  step trust-chromium node --test --test-reporter=tap tests/e2e/trust-chromium.spec.mjs
  step trust-firefox node --test --test-reporter=tap tests/e2e/trust-firefox.spec.mjs
  step live-chromium node --test --test-reporter=tap tests/e2e/live-chromium.spec.mjs
  step live-firefox node --test --test-reporter=tap tests/e2e/live-firefox.spec.mjs
  # The sign-in flows (PKCE, codes, state, silent renewal, refresh tokens) done in the browser.
  step flows-chromium node --test --test-reporter=tap tests/e2e/flows-chromium.spec.mjs
  step flows-firefox node --test --test-reporter=tap tests/e2e/flows-firefox.spec.mjs
  step saml-chromium node --test --test-reporter=tap tests/e2e/saml-chromium.spec.mjs
  step saml-firefox node --test --test-reporter=tap tests/e2e/saml-firefox.spec.mjs
  step har-chromium node --test --test-reporter=tap tests/e2e/har-chromium.spec.mjs
  step panel-chromium node --test --test-reporter=tap tests/e2e/panel-chromium.spec.mjs
  step panel-firefox node --test --test-reporter=tap tests/e2e/panel-firefox.spec.mjs
  step panel-devtools node --test --test-reporter=tap tests/e2e/panel-devtools-chromium.spec.mjs
  # Egress (with a 2,000-response storm), a service-worker restart and storage, in one session;
  # then 10,000 responses at the browser's own speed with no driver attached, the popup after it.
  step hardening-chromium node --test --test-reporter=tap tests/e2e/hardening-chromium.spec.mjs
  step storm-chromium node --test --test-reporter=tap tests/e2e/storm-chromium.spec.mjs
  step hardening-firefox node --test --test-reporter=tap tests/e2e/hardening-firefox.spec.mjs
  # The offline page (dist/web/) from file://, with a loopback server counting any request.
  step web-chromium node --test --test-reporter=tap tests/e2e/web-chromium.spec.mjs
  step web-firefox node --test --test-reporter=tap tests/e2e/web-firefox.spec.mjs

  printf '\nSummary:\n'
  printf '%s\n' "${RESULTS[@]}"
  if ((${#FAILED[@]})); then
    printf '\nFAILED: %s\n' "${FAILED[*]}"
    exit 1
  fi
  printf '\nAll checks passed.\n'
}

case ${1:-build} in
build) build ;;
test) run_tests ;;
fuzz) fuzz "${2:-60}" ;;
packages) packages ;;
release) release ;;
bench)
  ensure_test_tools # headless Chromium for the popup and page measurements
  [[ -f extension/pkg/okta_medic_bg.wasm && -d dist/chrome-test ]] || build
  node bench/run.mjs
  ;;
demo)
  shift
  ensure_test_tools # chromium and openssl
  [[ -d dist/chrome && -d dist/chrome-test ]] || build
  exec node tools/demo.mjs "$@"
  ;;
help | -h | --help) usage ;;
*)
  usage >&2
  exit 2
  ;;
esac
