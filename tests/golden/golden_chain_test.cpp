// The golden vectors: what consensus hashes and decides, pinned. A failure here means a change
// altered block hashes, state roots, vote bytes, the genesis hash or a rule's verdict — which
// splits a running network from nodes of the previous version. If that change is deliberate
// (a new storage or genesis format, a rule change the network agreed on), regenerate the file
// and say so in the commit (docs/consensus.md, "Golden vectors"):
//   COOPCHAIN_UPDATE_GOLDEN=1 build/tests/golden_test
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "golden_chain.h"

namespace coopchain::golden {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(GoldenChain, TranscriptMatchesTheCheckedInVectors) {
  const std::string actual = golden_transcript();
  if (std::getenv("COOPCHAIN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(COOPCHAIN_GOLDEN_FILE) << actual;
    GTEST_SKIP() << "wrote " << COOPCHAIN_GOLDEN_FILE;
  }
  const std::vector<std::string> expected = lines_of(read_file(COOPCHAIN_GOLDEN_FILE));
  ASSERT_FALSE(expected.empty()) << "no vectors in " << COOPCHAIN_GOLDEN_FILE;
  const std::vector<std::string> got = lines_of(actual);
  for (size_t i = 0; i < std::max(expected.size(), got.size()); ++i) {
    const std::string want = i < expected.size() ? expected[i] : "(nothing)";
    const std::string have = i < got.size() ? got[i] : "(nothing)";
    ASSERT_EQ(want, have) << "line " << i + 1 << " of " << COOPCHAIN_GOLDEN_FILE
                          << " differs: what consensus hashes or decides has changed. If that is "
                             "deliberate, regenerate (see this file's header).";
  }
}

// A transcript that covers little would guard little.
TEST(GoldenChain, CoversHundredsOfTransactionsAndManyRuleCodes) {
  size_t txs = 0, accepted = 0, blocks = 0;
  std::map<std::string, size_t> refusals;
  for (const auto& line : lines_of(golden_transcript())) {
    std::istringstream in(line);
    std::string what, n, id, verdict;
    in >> what;
    if (what == "block") ++blocks;
    if (what != "tx") continue;
    in >> n >> id >> verdict;
    ++txs;
    if (verdict == "OK") {
      ++accepted;
    } else {
      ++refusals[verdict];
    }
  }
  EXPECT_GE(txs, 300u);
  EXPECT_GE(accepted, 250u);
  EXPECT_GE(blocks, 20u);
  EXPECT_GE(refusals.size(), 8u) << "distinct rule codes refused";
}

TEST(GoldenChain, OneInputGivesOneTranscript) {
  EXPECT_EQ(golden_transcript(), golden_transcript());
}

}  // namespace
}  // namespace coopchain::golden
