#!/usr/bin/env bash
# Regenerates the rule table in README.md from src/rules.rs (a Rust test fails when they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --features ts --bin gen-types -- --rules-md > target/rules.md
python3 - <<'PY'
import re
readme = open('README.md').read()
table = open('target/rules.md').read().rstrip('\n')
start, end = '<!-- rules:start -->', '<!-- rules:end -->'
if start not in readme:
    readme = re.sub(r'\| code \| rule \| severity \| what it finds \|\n(\|.*\|\n)+', start + '\n' + table + '\n' + end + '\n', readme, count=1)
else:
    readme = re.sub(re.escape(start) + '.*?' + re.escape(end), start + '\n' + table + '\n' + end, readme, flags=re.S)
open('README.md', 'w').write(readme)
PY
