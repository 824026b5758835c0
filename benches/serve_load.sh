#!/usr/bin/env bash
# The dev server under load: `dateline serve` on a generated site, `wrk -c100 -d30s` against a
# few URLs on 127.0.0.1 while a loop saves a story 10 times a second.
#
#   benches/serve_load.sh [STORIES] [DATELINE_BINARY]
#
# STORIES defaults to 500; the binary to target/release/dateline (built if missing). Installs
# `wrk` with apt-get when it is missing. Prints requests/s, errors (non-2xx/3xx responses and
# socket errors) per URL, and the server's peak RSS (VmHWM). Loopback only. Only prints figures.
set -euo pipefail

cd "$(dirname "$0")/.."
STORIES=${1:-500}
BIN=${2:-${CARGO_TARGET_DIR:-target}/release/dateline}
if [ ! -x "$BIN" ]; then cargo build --release --quiet; fi
BIN=$(realpath "$BIN")
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }

WORK=$(mktemp -d /tmp/dateline-serve-load-XXXXXX)
SERVER=
SAVER=
cleanup() {
  [ -n "$SAVER" ] && kill "$SAVER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/content/world"
printf 'title = "Load"\nbase_url = "https://news.example.org/"\n' > "$WORK/site.toml"
for i in $(seq 1 "$STORIES"); do
  printf -- '---\nheadline: Story %s\ndate: 2025-05-19 10:00\ntags: [t%s]\n---\nA paragraph about the harbour.\n' \
    "$i" $((i % 20)) > "$WORK/content/world/story-$i.md"
done

PORT=$((20000 + RANDOM % 20000))
"$BIN" serve --root "$WORK" --port "$PORT" --now 2026-01-01T00:00:00Z >"$WORK.serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/" || { echo "the server did not start"; cat "$WORK.serve.log"; exit 1; }

# Saves a story 10 times a second, each time with new text.
( n=0; while true; do
    n=$((n + 1))
    printf -- '---\nheadline: Story 1 edit %s\ndate: 2025-05-19 10:00\n---\nEdit %s.\n' "$n" "$n" \
      > "$WORK/content/world/story-1.md"
    sleep 0.1
  done ) &
SAVER=$!

DURATION=${DURATION:-30s}
for url in / /world/2025/05/story-1/ /feed.xml /tags/t3/; do
  echo "== http://127.0.0.1:$PORT$url"
  wrk -c100 -t2 -d"$DURATION" "http://127.0.0.1:$PORT$url" > "$WORK.wrk"
  grep -E 'requests in|Requests/sec' "$WORK.wrk"
  # wrk prints these lines only when there are errors.
  errors=$(grep -E 'Non-2xx|Socket errors' "$WORK.wrk" | tr -s ' ' | paste -sd';' - || true)
  echo "  errors: ${errors:-0 (no non-2xx/3xx responses, no socket errors)}"
done
rm -f "$WORK.wrk"
kill "$SAVER"; SAVER=
echo "rebuilds logged: $(grep -ci 'rebuilt' "$WORK.serve.log" || true); server still up: $(kill -0 "$SERVER" 2>/dev/null && echo yes || echo no)"
echo "story-1 as served now: $(curl -fs "http://127.0.0.1:$PORT/world/2025/05/story-1/" | grep -o 'Story 1 edit [0-9]*' | head -1)"
echo "server peak RSS: $(grep VmHWM /proc/"$SERVER"/status | awk '{print $2, $3}')"
rm -f "$WORK.serve.log"
