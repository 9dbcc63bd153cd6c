#!/bin/sh
# Benchmark: `secretscan dir` of several builds on one tree in alternating rounds (A B C A B C ...),
# with a `tar -cf - | wc -c` read of the same files each round (the floor of issue 11). Prints
# wall seconds, user and sys CPU seconds (all threads) and peak RSS per run; on a shared machine
# compare CPU time and take medians. Each ROOT is a checkout with a built dist/ (npm run build).
# Usage: sh bench/dir-ab.sh TREE ROUNDS NAME=ROOT [NAME=ROOT ...]
# e.g.   sh bench/dir-ab.sh bench/out/tree 3 main=/tmp/main-wt branch=.
set -e
tree=$1; rounds=$2; shift 2
[ -d "$tree" ] || { echo "no tree at $tree (bench/dir.mjs makes one)" >&2; exit 2; }
r=0
while [ "$r" -lt "$rounds" ]; do
  r=$((r + 1))
  /usr/bin/time -f "round $r  tar|wc  wall %e s  user %U s  sys %S s" sh -c "tar -cf - -C '$tree' . | wc -c >/dev/null"
  for side in "$@"; do
    name=${side%%=*}; root=${side#*=}
    /usr/bin/time -f "round $r  $name  wall %e s  user %U s  sys %S s  peak RSS %M KB" \
      node "$root/bin/secretscan.js" dir "$tree" --no-config --no-fail -f json --quiet >/dev/null
  done
done 2>&1
