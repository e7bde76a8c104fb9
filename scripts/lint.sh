#!/usr/bin/env bash
# Static checks from STYLE.md that the compiler does not make: formatting, component include
# boundaries, and shortcoming markers that name an issue.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find . -name '*.cpp' -o -name '*.h')
if ! clang-format --dry-run -Werror $files 2>/tmp/cguard-format.log; then
    echo "lint: clang-format would change these files:"
    grep 'code should be clang-formatted' /tmp/cguard-format.log | cut -d: -f1 | sort -u | head -20
    status=1
fi

# Other components may include only <component>/<component>.h and common/.
components="scanner vulndb report webhook registry-sync runtime-agent certs"
for f in $files; do
    owner=${f%%/*}
    while read -r inc; do
        dir=${inc%%/*}
        [ "$dir" = "$owner" ] && continue
        case " $components " in
        *" $dir "*)
            base=$(basename "$inc" .h)
            if [ "$base" != "${dir//-/_}" ] && [ "$owner" != "fuzz" ] && [ "$owner" != "tests" ]; then
                echo "lint: $f includes $inc: only $dir/${dir//-/_}.h is public"
                status=1
            fi
            ;;
        esac
    done < <(grep -oE '^#include "[^"]+"' "$f" | sed 's/#include "//; s/"$//')
done

# The words are split so that this file does not match itself.
marker_words='T''ODO|F''IXME|X''XX|H''ACK'
markers=$(git grep -nE "\b($marker_words)\b" -- '*.cpp' '*.h' '*.sh' '*.txt' 2>/dev/null |
    grep -vE 'T''ODO\(#[0-9]+\)')
if [ -n "$markers" ]; then
    echo "lint: shortcoming markers must name an open issue, as in TODO(#2):"
    echo "$markers"
    status=1
fi

[ $status -eq 0 ] && echo "lint: ok"
exit $status
