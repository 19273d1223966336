// docs/governance.md's node runbooks, rehearsed on one machine and run as written: three
// cooperatives found a network from their cards, a fourth joins as a learner and is promoted,
// a lost server is replaced by a new one that catches up from nothing and votes, a dead node is
// removed, and the audit replays it all. Every `$cc`, `$d` and `kill` line of the section runs
// in order, on free ports in place of the doc's 77xx; a `status` or `members` line is repeated
// (as a person would) until it shows what its comment says, for up to 15 s.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "coopchain/core/files.h"
#include "harness.h"
#include "worked_examples.h"

namespace coopchain::testing {
namespace {

const std::string kRoot = COOPCHAIN_SOURCE_DIR;
const std::string kSection = "## Node runbooks";

// Runs of spaces made one: a comment quotes a line without its column padding.
std::string collapsed(const std::string& text) {
  return std::regex_replace(text, std::regex("[ \t]+"), " ");
}

class NodeRunbookTest : public ::testing::Test {
 protected:
  // The doc's 127.0.0.1:77NN made the test's base + NN.
  std::string ported(const std::string& text) const {
    static const std::regex doc_port(R"(127\.0\.0\.1:77(\d\d))");
    std::string out;
    auto at = text.cbegin();
    for (std::smatch m; std::regex_search(at, text.cend(), m, doc_port); at = m.suffix().first) {
      out.append(at, m[0].first);
      out += "127.0.0.1:" + std::to_string(base_ + std::stoi(m[1].str()));
    }
    return out.append(at, text.cend());
  }

  // A word of the doc made the test's: $n is the test's directory, $e the examples.
  std::string word(const std::string& w) const {
    if (w.rfind("$n/", 0) == 0) return ported((dir_.path() / w.substr(3)).string());
    if (w.rfind("$e/", 0) == 0) return kRoot + "/examples/network/" + w.substr(3);
    return ported(w);
  }

  // `$cc WORDS [> FILE]  # shows`. A command made before the nodes elect a leader is retried.
  void run_cli(const DocLine& line) {
    std::vector<std::string> words = {cli_binary()};
    std::string out_file;
    for (size_t i = 1; i < line.words.size(); ++i) {
      if (line.words[i] == ">" && i + 1 < line.words.size()) {
        out_file = word(line.words[++i]);
      } else {
        words.push_back(word(line.words[i]));
      }
    }
    const bool query = words[1] == "status" || words[1] == "members";
    const std::string promise = ported(line.comment);
    CommandResult r;
    for (int attempt = 0; attempt < 60; ++attempt) {
      r = run_command(words);
      const bool no_leader_yet = r.exit_code != 0 && r.err.find("UNAVAILABLE") != std::string::npos;
      const bool shown =
          !query || promise.empty() || collapsed(r.out).find(promise) != std::string::npos;
      if (!no_leader_yet && (r.exit_code != 0 || shown)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    if (query && !promise.empty()) {
      EXPECT_NE(collapsed(r.out).find(promise), std::string::npos)
          << "the doc says it shows \"" << promise << "\":\n"
          << r.out;
    }
    if (!out_file.empty()) {
      ASSERT_TRUE(write_file(out_file, r.out, 0644).ok()) << out_file;
    }
    outputs_.push_back(r.out);
  }

  // `$d --config CONFIG > LOG 2>&1 & VAR=$!`: the node starts and answers.
  void start_node(const DocLine& line) {
    const auto& w = line.words;
    ASSERT_GE(w.size(), 7u);
    ASSERT_EQ(w[1], "--config");
    ASSERT_EQ(w[3], ">");
    ASSERT_TRUE(w.back().size() > 3 && w.back().ends_with("=$!")) << w.back();
    const std::string config = word(w[2]);
    std::smatch client;
    const std::string text = read_all(config);
    ASSERT_TRUE(std::regex_search(text, client, std::regex(R"(client_listen: (\S+))"))) << text;
    auto& node =
        daemons_.emplace_back(std::make_unique<DaemonProcess>(config, word(w[4]), client[1].str()));
    ASSERT_TRUE(node->start(std::chrono::seconds(30), false)) << node->log();
    by_variable_[w.back().substr(0, w.back().size() - 3)] = node.get();
  }

  // `kill -9 $VAR` (a machine lost) or `kill $VAR…` (a clean stop).
  void kill(const DocLine& line) {
    const bool lost = line.words.size() > 1 && line.words[1] == "-9";
    for (size_t i = lost ? 2 : 1; i < line.words.size(); ++i) {
      const std::string& v = line.words[i];
      ASSERT_TRUE(v.size() > 1 && v[0] == '$' && by_variable_.contains(v.substr(1))) << v;
      DaemonProcess* node = by_variable_.at(v.substr(1));
      if (lost) {
        node->kill9();
      } else {
        EXPECT_EQ(node->stop(), 0) << node->log();
      }
    }
  }

  TempDir dir_;
  uint16_t base_ = free_base_port(6);
  std::vector<std::unique_ptr<DaemonProcess>> daemons_;
  std::map<std::string, DaemonProcess*> by_variable_;
  std::vector<std::string> outputs_;
};

TEST_F(NodeRunbookTest, RunAsWritten) {
  ASSERT_NE(base_, 0);
  const auto lines = doc_lines(kRoot + "/docs/governance.md", kSection, {"$cc ", "$d ", "kill "});
  ASSERT_FALSE(lines.empty()) << "no runnable line in docs/governance.md's node runbooks";
  for (const DocLine& line : lines) {
    std::string text;
    for (const auto& w : line.words) text += w + " ";
    SCOPED_TRACE(text);
    if (line.words[0] == "$cc") {
      run_cli(line);
    } else if (line.words[0] == "$d") {
      start_node(line);
    } else {
      kill(line);
    }
    if (HasFatalFailure()) return;
  }
  ASSERT_EQ(daemons_.size(), 5u) << "three founders, a newcomer and a replaced server";

  // The replaced server said why its peers refused it until the rotation passed.
  EXPECT_NE(daemons_[4]->log().find("not the one the chain at height"), std::string::npos)
      << daemons_[4]->log();
  // The audit, the section's last query, replayed every change.
  const std::string& audit = outputs_.back();
  for (const char* id : {"JOIN-D", "PROMOTE-D", "ROTATE-C", "REMOVE-B"}) {
    EXPECT_NE(audit.find(std::string(id) + "  PASSED"), std::string::npos) << id << audit;
  }
  for (const auto& entry : std::filesystem::directory_iterator(kRoot + "/examples/network")) {
    bool named = false;
    for (const auto& line : lines) {
      for (const auto& w : line.words) named |= w == "$e/" + entry.path().filename().string();
    }
    EXPECT_TRUE(named) << "the runbooks never use " << entry.path();
  }
}

// A command as a runbook uses it: the program, its verb (up to two words) and its flags.
struct Usage {
  std::string command;
  std::set<std::string> flags;
};

Usage usage_of(const std::vector<std::string>& words) {
  static const std::regex verb_word("[a-z]+");
  Usage u{words[0] == "$cc" ? "coopchain" : words[0] == "$d" ? "coopchaind" : words[0], {}};
  for (size_t i = 1; i < words.size() && i < 3 && std::regex_match(words[i], verb_word); ++i) {
    u.command += " " + words[i];
  }
  for (const auto& w : words) {
    if (w.rfind("--", 0) == 0) u.flags.insert(w);
  }
  return u;
}

// The runbooks for real machines (public addresses, one organization per machine) cannot run
// here as written; what they use, the rehearsal runs: every command of theirs, with every flag
// they give it, is in a rehearsed line.
TEST(NodeRunbook, EveryCommandOfTheNodeRunbooksIsRehearsed) {
  const std::string doc = kRoot + "/docs/governance.md";
  std::vector<Usage> rehearsed;
  for (const auto& line : doc_lines(doc, kSection, {"$cc ", "$d "})) {
    rehearsed.push_back(usage_of(line.words));
  }
  size_t checked = 0;
  for (const char* section : {"## Founding a network", "## Nodes"}) {
    for (const auto& line : doc_lines(doc, section, {"coopchain ", "coopchaind "})) {
      const Usage used = usage_of(line.words);
      ++checked;
      const bool found = std::any_of(rehearsed.begin(), rehearsed.end(), [&](const Usage& r) {
        return r.command == used.command &&
               std::includes(r.flags.begin(), r.flags.end(), used.flags.begin(), used.flags.end());
      });
      std::string flags;
      for (const auto& f : used.flags) flags += " " + f;
      EXPECT_TRUE(found) << section << ": `" << used.command << flags << "` is not rehearsed in \""
                         << kSection << "\"";
    }
  }
  EXPECT_GE(checked, 15u) << "the runbooks' commands were not found";
}

}  // namespace
}  // namespace coopchain::testing
