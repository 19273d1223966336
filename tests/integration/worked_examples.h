// The worked examples of the docs, run by tests so that the docs cannot rot: the files of
// examples/ moved in time to whenever the test runs, and the `coopchain submit` commands a doc
// section lists, with the refusal code its table promises for each.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace coopchain::testing {

// The file at `path` with every RFC 3339 time in it ("2026-11-02T08:00:00Z") moved by `shift`:
// an example written on one date is taken by a node whenever the test runs (an event more than
// 90 days old is TOO_LATE), and every interval within it stays as the doc describes it.
std::string example_moved(const std::string& path, std::chrono::milliseconds shift);

// How far `example_time` lies before the moment `ago` before now, in whole seconds.
std::chrono::milliseconds shift_to(const std::string& example_time, std::chrono::milliseconds ago);

// A `$cc submit FILE --key data/keys/ORG.pem` command of a doc: the file (relative to the
// project's root, the section's `o=examples/organic` style variables replaced), the organization
// that signs it and, for a table row that promises a refusal, its code (empty for an event the
// doc says commits).
struct DocSubmission {
  std::string file;
  std::string org;
  std::string refused_with;
};

// The submissions of the section of the markdown file `doc` whose heading starts with
// `heading` ("## 6."), in the order the doc gives them.
std::vector<DocSubmission> doc_submissions(const std::string& doc, const std::string& heading);

// The `$cc ...` commands of the section whose heading starts with `heading` (its subsections
// included), in order, each split into words ("quoted text" is one word) without the `$cc` and
// without a trailing `# comment`.
std::vector<std::vector<std::string>> doc_commands(const std::string& doc,
                                                   const std::string& heading);

// A shell line of a doc section: its words, the first as written ("$cc", "$d", "kill"), and the
// text of its trailing `# comment` (what the doc says the command shows).
struct DocLine {
  std::vector<std::string> words;
  std::string comment;
};

// The lines of the section whose heading starts with `heading` that begin with one of
// `starts` (a line ending in `\` continued by the next), split as doc_commands splits them.
std::vector<DocLine> doc_lines(const std::string& doc, const std::string& heading,
                               const std::vector<std::string>& starts);

}  // namespace coopchain::testing
