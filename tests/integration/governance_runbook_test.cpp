// docs/governance.md's runbooks, command for command, on a real node: every `$cc` line of its
// "Runbooks" section runs as written (keys made with `coopchain keygen`, their public keys put
// where the example files of examples/governance say), and what the runbooks promise holds.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "cli_checks.h"
#include "worked_examples.h"

namespace coopchain::testing {
namespace {

const std::string kRoot = COOPCHAIN_SOURCE_DIR;

class GovernanceRunbookTest : public ::testing::Test {
 protected:
  // The doc's paths made the test's: data/keys/ is the network's key directory, and $r/FILE a
  // copy of examples/governance/FILE with the public keys made so far in place of
  // "<NAME public key>".
  std::string path_of(const std::string& word) {
    if (word.rfind("data/keys/", 0) == 0) return (net_.dir() / "keys" / word.substr(10)).string();
    if (word.rfind("$r/", 0) != 0) return word;
    std::ifstream in(kRoot + "/examples/governance/" + word.substr(3));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(text.empty()) << word;
    for (const auto& [name, key] : public_keys_) {
      text = std::regex_replace(text, std::regex("<" + name + " public key>"), key);
    }
    EXPECT_EQ(text.find(" public key>"), std::string::npos) << word << " needs a key not made yet";
    const std::string copy = (net_.dir() / word.substr(3)).string();
    std::ofstream(copy) << text;
    return copy;
  }

  CommandResult run(std::vector<std::string> words) {
    for (auto& w : words) w = path_of(w);
    const bool keygen = words.front() == "keygen";
    if (keygen) {
      words.push_back("--output");
      words.push_back("json");
      words.insert(words.begin(), cli_binary());
      CommandResult r = run_command(words);
      public_keys_[std::filesystem::path(words[3]).stem().string()] = public_key_printed(r);
      return r;
    }
    return net_.cli(words);
  }

  SingleNodeNetwork net_;
  std::map<std::string, std::string> public_keys_;
};

TEST_F(GovernanceRunbookTest, RunAsWritten) {
  const auto commands = doc_commands(kRoot + "/docs/governance.md", "## Runbooks");
  ASSERT_FALSE(commands.empty()) << "no `$cc` line in docs/governance.md's runbooks";
  std::string last_members;
  for (const auto& words : commands) {
    std::string line;
    for (const auto& w : words) line += " " + w;
    SCOPED_TRACE("$cc" + line);
    CommandResult r = run(words);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    if (words.front() == "members") last_members = r.out;
  }
  // What the runbooks say happened.
  EXPECT_NE(last_members.find("exp-2  EXPORTER  SUSPENDED"), std::string::npos) << last_members;
  EXPECT_NE(last_members.find("governors: coop-1, coop-2, coop-3 (a proposal passes at 2"),
            std::string::npos)
      << last_members;
  EXPECT_NE(last_members.find("\"receptionToleranceBp\": 100"), std::string::npos) << last_members;
  expect_refused(net_, R"({"approveChange": {"proposalId": "GOV-3"}})", "coop-3", "KEY_REVOKED");
  expect_refused(net_, R"({"addKey": {"publicKey": ")" + std::string(64, '1') + R"("}})", "exp-2",
                 "ORGANIZATION_SUSPENDED");
  for (const auto& entry : std::filesystem::directory_iterator(kRoot + "/examples/governance")) {
    bool named = false;
    for (const auto& words : commands) {
      for (const auto& w : words) named |= w == "$r/" + entry.path().filename().string();
    }
    EXPECT_TRUE(named) << "the runbooks never use " << entry.path();
  }
  CommandResult audit = net_.cli({"audit", "--genesis", (net_.dir() / "genesis.json").string()});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
}

}  // namespace
}  // namespace coopchain::testing
