#!/usr/bin/env bash
# `npm run test:under-load [-- RUNS]`: the whole suite RUNS times in a row (default 3) while
# two CPU hogs keep both cores of a two-core machine busy, as on a laptop or a shared CI runner.
# Stops at the first failing run; its output is kept in test-results/under-load-<n>.log.
set -u
runs="${1:-3}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "RUNS must be a whole number of runs, at least 1 (got \"$runs\")" >&2
  exit 2
fi
mkdir -p test-results
yes > /dev/null & hog1=$!
yes > /dev/null & hog2=$!
trap 'kill "$hog1" "$hog2" 2>/dev/null' EXIT
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  npm test > "test-results/under-load-$run.log" 2>&1
  status=$?
  summary=$(grep -E "Test Files|Tests  " "test-results/under-load-$run.log" | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ' | tr '\n' ' ')
  echo "run $run of $runs: exit $status in $(( $(date +%s) - started )) s; $summary"
  if [ "$status" -ne 0 ]; then
    echo "failed; see test-results/under-load-$run.log" >&2
    exit "$status"
  fi
done
