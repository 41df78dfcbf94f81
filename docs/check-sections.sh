#!/bin/sh
# Checks that every section of an older README still has its text in README.md or docs/*.md,
# after the README became a short front page (issue 17). Run from the repository's top:
#
#   sh docs/check-sections.sh [-v] [COMMIT]    (default 854db01: the last long README)
#
# For each heading of the old README it prints where that heading is now (a heading of the
# same words, or where it was merged, from the list below) and how much of the section's text
# is found: the share of its runs of 6 words (lower case; punctuation and links' addresses
# ignored) that occur in the new pages. It fails when a section is under 90% (80% for the two
# sections the front page rewrote), or when a heading is neither found nor listed as merged.
# -v also prints the words not found, so a rewording can be told from a loss.
set -eu
verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi
commit=${1:-854db01}
git show "$commit:README.md" | VERBOSE=$verbose python3 -c '
import glob, os, re, sys

# Old headings with no heading of the same words now: where their text went.
MERGED = {
    "Set-up: two commands": "README.md \"Start: two commands\"; the hand model to docs/cli.md;"
    " make bench and make fuzz to docs/testing.md",
    "App": "docs/guide.md \"The pages\"; live frames to docs/how-it-works.md; the latency to"
    " docs/benchmarks.md \"Practice latency\"",
    "Command line": "docs/cli.md (its title, \"The command line\")",
}
REWRITTEN = {"trainer", "Set-up: two commands"}  # reworded for the front page: 80% is enough

def words(text):
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link counts by its words, not its address
    return re.findall(r"[a-z0-9]+", text.lower())

def shingles(ws, n=6):
    return [tuple(ws[i:i + n]) for i in range(max(1, len(ws) - n + 1))]

sections, title, body, fence = [], None, [], False
for line in sys.stdin.read().splitlines():
    if line.startswith("```"):
        fence = not fence
    if not fence and line.startswith("#"):
        if title is not None:
            sections.append((title, body))
        title, body = line.lstrip("#").strip(), []
    else:
        body.append(line)
sections.append((title, body))

pages = ["README.md"] + sorted(glob.glob("docs/*.md"))
corpus, headings = set(), {}
for page in pages:
    text = open(page, encoding="utf-8").read()
    corpus.update(shingles(words(text)))
    for line in text.splitlines():
        if line.startswith("#"):
            headings.setdefault(tuple(words(line)), page)

failed = 0
for title, body in sections:
    own = shingles(words("\n".join(body)))
    found = [s in corpus for s in own]
    share = sum(found) / len(own)
    if tuple(words(title)) in headings:
        where = headings[tuple(words(title))]
    elif title in MERGED:
        where = "merged: " + MERGED[title]
    else:
        where, share = "NOT FOUND", 0.0
    bar = 0.80 if title in REWRITTEN else 0.90
    ok = share >= bar
    failed += not ok
    print(f"{share:6.1%}  {title!r} -> {where}" + ("" if ok else f"   <-- under {bar:.0%}"))
    if os.environ["VERBOSE"] == "1":
        missing = [" ".join(s) for s, f in zip(own, found) if not f]
        for m in missing:
            print("          not found:", m)
sys.exit(1 if failed else 0)
'
