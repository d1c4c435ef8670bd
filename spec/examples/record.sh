#!/usr/bin/env bash
# Records one conformance run of a library adapter, with its provenance, for spec/IMPLEMENTATIONS.md.
#   spec/examples/record.sh LIBRARY COMMIT SOURCE DTYPE RUN [conform options…]
# LIBRARY is the adapter's folder under spec/examples/, COMMIT the library commit that ran, SOURCE
# the directory put on PYTHONPATH (an extracted snapshot; empty for an installed copy), DTYPE
# float32 or float64, RUN the run's name (its folder under spec/examples/LIBRARY/reports/).
# Then regenerate the table:
#   ./tck table spec/examples/*/reports/*/diffusion-tck.json --out spec/IMPLEMENTATIONS.md
set -euo pipefail
[[ $# -ge 5 ]] || { echo "usage: $0 LIBRARY COMMIT SOURCE DTYPE RUN [conform options…]" >&2; exit 2; }
library=$1 commit=$2 source=$3 dtype=$4 run=$5
shift 5
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
python=${PYTHON:-/usr/bin/python3}
adapter="spec/examples/$library/adapter.py"
[[ -f "$root/$adapter" ]] || { echo "no adapter $adapter" >&2; exit 2; }
dir="$root/spec/examples/$library/reports/$run"
mkdir -p "$dir"
cd "$root"
torch=$("$python" -c 'import torch; print(torch.__version__)')
kit="$(./tck --version | head -1 | sed 's/^Diffusion TCK //') at $(git rev-parse --short=12 HEAD)"
[[ -z "$(git status --porcelain -- checks reference spec/examples/common "$adapter")" ]] \
  || { echo "commit the kit and the adapter first: the provenance names the commit" >&2; exit 2; }
set +e
PYTHONPATH="$source" DIFFUSION_TCK_DTYPE="$dtype" ./tck conform --impl "$python $adapter" \
  --report-dir "$dir" "$@" > "$dir/console.txt" 2>&1
status=$?
set -e
rm -f "$dir/diffusion-tck-junit.xml" "$dir/diffusion-tck-summary.md"
"$python" - "$dir/provenance.json" "$library" "$commit" "$torch" "$kit" "$dtype" "$*" <<'PY'
import json, sys
path, library, commit, torch, kit, dtype, options = sys.argv[1:]
with open(path, "w") as f:
    json.dump({"library": library, "commit": commit, "torch": torch, "kit": kit,
               "dtype": dtype, "options": options}, f, indent=2)
    f.write("\n")
PY
echo "$run: conform exited $status; $(tail -2 "$dir/console.txt" | head -1)"
