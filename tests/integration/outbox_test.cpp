// The offline outbox with the real CLI and a real node: events signed with no node reachable are
// kept durably, a sync over a dead link retries and then leaves them all, a sync that reaches
// the node commits them in order, moves a refused one aside with its rule code, and a sync
// killed between a commit and the file's move commits nothing twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.h"

namespace coopchain::testing {
namespace {

namespace fs = std::filesystem;

size_t entries_in(const fs::path& dir) {
  size_t n = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    const std::string name = f.path().filename().string();
    if (name.ends_with(".json") && !name.ends_with(".answer.json") && name[0] != '.') ++n;
  }
  return n;
}

TEST(OutboxTest, EventsSignedOfflineAreSentInOrderOnceTheNodeIsReachable) {
  SingleNodeNetwork net;
  const fs::path outbox = net.dir() / "outbox";
  const std::string genesis = (net.dir() / "genesis.json").string();
  const auto write = [&](const std::string& name, const std::string& json) {
    const fs::path file = net.dir() / name;
    std::ofstream(file) << json;
    return file.string();
  };
  const std::string farm = write("farm.json", R"({"registerFarm": {"farmId": "F-OFF",
      "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE"}]}})");
  const std::string harvests = write("harvests.json", R"([
      {"harvest": {"lotId": "L-OFF-1", "farmId": "F-OFF", "plotId": "P-1", "crop": "COFFEE",
                   "form": "CHERRY", "massG": 100000, "harvestedAt": ")" +
                                                          days_ago(1) + R"("}},
      {"harvest": {"lotId": "L-OFF-2", "farmId": "F-OFF", "plotId": "P-1", "crop": "COFFEE",
                   "form": "CHERRY", "massG": 200000, "harvestedAt": ")" +
                                                          days_ago(1) + R"("}}])");
  const auto add = [&](const std::string& file, const std::string& nonce) {
    return run_command({cli_binary(), "outbox", "add", file, "--key", net.key("coop-1"),
                        "--genesis", genesis, "--outbox", outbox.string(), "--nonce", nonce});
  };

  // Signed in the field, with no node at all: the farm, then two harvests that depend on it,
  // then the same farm again (a new nonce: a new transaction the rules refuse).
  for (const auto& [file, nonce] : {std::pair{farm, "0"}, {harvests, "0"}, {farm, "1"}}) {
    const CommandResult added = add(file, nonce);
    ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  }
  EXPECT_EQ(entries_in(outbox), 4u);
  // The same file again is the same transactions: nothing new is queued.
  const CommandResult twice = add(farm, "0");
  EXPECT_EQ(twice.exit_code, 0);
  EXPECT_NE(twice.out.find("already queued as #1"), std::string::npos) << twice.out;
  EXPECT_EQ(entries_in(outbox), 4u);
  // A file with one bad event queues nothing.
  const std::string bad = write("bad.json", R"([
      {"registerFarm": {"farmId": "F-OK", "plots": [{"plotId": "P-1", "areaM2": 5, "crop": "COFFEE"}]}},
      {"harvest": {"lotId": "L-X"}}])");
  EXPECT_EQ(add(bad, "0").exit_code, 1);
  EXPECT_EQ(entries_in(outbox), 4u);

  // The link is down: nothing moves, and the user is told to sync again.
  const CommandResult dead =
      run_command({cli_binary(), "outbox", "sync", "--outbox", outbox.string(), "--node",
                   "127.0.0.1:1", "--retry-for", "3"});
  EXPECT_EQ(dead.exit_code, 1);
  EXPECT_NE(dead.err.find("4 events stay in the outbox"), std::string::npos) << dead.err;
  EXPECT_NE(dead.err.find("trying again in 2 s"), std::string::npos) << dead.err;
  EXPECT_EQ(entries_in(outbox), 4u);

  // The link is back.
  const CommandResult sent = net.cli({"outbox", "sync", "--outbox", outbox.string()});
  EXPECT_EQ(sent.exit_code, 1) << "one event was refused: " << sent.out << sent.err;
  EXPECT_NE(sent.out.find("REFUSED FARM_EXISTS"), std::string::npos) << sent.out;
  EXPECT_NE(sent.out.find("3 committed, 1 refused; the outbox is empty"), std::string::npos)
      << sent.out;
  EXPECT_EQ(entries_in(outbox), 0u);
  EXPECT_EQ(entries_in(outbox / "sent"), 3u);
  EXPECT_EQ(entries_in(outbox / "rejected"), 1u);
  const CommandResult lot = net.cli({"lot", "show", "L-OFF-2"});
  EXPECT_EQ(lot.exit_code, 0) << lot.err;

  // Killed after a commit but before its file moved: the next sync finds the event committed
  // already and moves it; nothing is committed twice.
  const auto head = net.head();
  for (const auto& f : fs::directory_iterator(outbox / "sent")) {
    const std::string name = f.path().filename().string();
    if (name.starts_with("000002-") && !name.ends_with(".answer.json")) {
      fs::copy_file(f.path(), outbox / name);
    }
  }
  ASSERT_EQ(entries_in(outbox), 1u);
  const CommandResult again = net.cli({"outbox", "sync", "--outbox", outbox.string()});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("1 committed, 0 refused; the outbox is empty"), std::string::npos)
      << again.out;
  EXPECT_EQ(net.head(), head) << "committed twice";
  EXPECT_EQ(entries_in(outbox), 0u);
  const CommandResult list = run_command(
      {cli_binary(), "outbox", "list", "--outbox", outbox.string(), "--output", "json"});
  EXPECT_NE(list.out.find("\"sent\": 3"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace coopchain::testing
