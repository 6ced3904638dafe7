# Shared by the bench scripts that write a section of a results file (sourced, not run):
# bench/placement-e2e.sh and bench/scale.sh. The sourcing script sets ROOT (the checkout).
#
# A section is the text between `<!-- NAME: begin -->` and `<!-- NAME: end -->` lines; the
# script named in NAME owns it and replaces it whole, and every other writer of the same file
# keeps it (bench/scheduler-bench.sh keeps placement-e2e.sh's, `oag bench compare` keeps
# every marked section of RESULTS.md).

# "git <short hash>[ with local changes]": the code a result was measured with.
results_version() {
  echo "git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
}

# One line about this machine: CPU model, cores, memory, Java.
results_machine() {
  echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores;" \
    "memory: $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo);" \
    "$(java -version 2>&1 | head -1)"
}

# results_write_section FILE NAME SECTION_FILE: replaces section NAME of FILE with the text of
# SECTION_FILE (which starts and ends with NAME's markers), or appends it after a blank line
# when FILE has none yet. FILE is replaced through a temporary file in its directory.
results_write_section() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, re, sys
results, name, section = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().strip("\n") + "\n"
text = open(results).read() if os.path.exists(results) else ""
begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end) + r"\n?", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text, count=1)
else:
    text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
tmp = results + ".tmp"
open(tmp, "w").write(text)
os.replace(tmp, results)
PY
}
