// docs/walkthrough.md, command for command, on a real node: every `coopchain submit` of its
// sections 2 (the journey), 4 (the frauds) and 6 (organic claims) with the files in examples/,
// each step committed and each fraud refused with the code the doc's table gives, so that the
// walkthrough cannot drift from what the node does.
#include <filesystem>
#include <regex>
#include <set>

#include "cli_checks.h"
#include "coopchain/core/civil_time.h"
#include "worked_examples.h"

namespace coopchain::testing {
namespace {

const std::string kRoot = COOPCHAIN_SOURCE_DIR;

// The walkthrough's events run from 2026-10-15 to 2026-11-20, in one calendar year (the yield
// estimate of section 6 is for the 2026 season): moved so that the last is a day old, or back to
// the last day of a year when they would otherwise straddle a new year's day.
std::chrono::milliseconds walkthrough_shift() {
  const TimeMs first = *parse_rfc3339("2026-10-15T00:00:00Z");
  const TimeMs last = *parse_rfc3339("2026-11-20T08:00:00Z");
  std::chrono::milliseconds shift = shift_to(format_rfc3339(last), std::chrono::hours(24));
  const int64_t year = utc_year_of(last + shift.count());
  if (utc_year_of(first + shift.count()) != year) {
    const TimeMs new_year = days_from_civil(year, 1, 1) * kMsPerDay;
    shift -= std::chrono::milliseconds(last + shift.count() - new_year + kMsPerDay);
  }
  return shift;
}

class WalkthroughTest : public ::testing::Test {
 protected:
  // An example file moved in time, its season the year its events moved to.
  std::string example(const std::string& file) const {
    const int64_t season = utc_year_of(*parse_rfc3339("2026-11-20T08:00:00Z") + shift_.count());
    return std::regex_replace(example_moved(kRoot + "/" + file, shift_),
                              std::regex(R"("season": 2026)"),
                              "\"season\": " + std::to_string(season));
  }

  // Runs the section's submissions; returns the files it named.
  std::set<std::string> run_section(const std::string& heading) {
    const std::vector<DocSubmission> commands =
        doc_submissions(kRoot + "/docs/walkthrough.md", heading);
    EXPECT_FALSE(commands.empty()) << "no `$cc submit` in docs/walkthrough.md " << heading;
    std::set<std::string> files;
    for (const DocSubmission& c : commands) {
      SCOPED_TRACE(heading + " " + c.file + " signed by " + c.org);
      files.insert(c.file);
      const std::string json = example(c.file);
      if (c.refused_with.empty()) {
        CommandResult r = net_.submit(json, c.org);
        EXPECT_EQ(r.exit_code, 0) << json << "\nstdout: " << r.out << "\nstderr: " << r.err;
      } else {
        expect_refused(net_, json, c.org, c.refused_with);
      }
    }
    return files;
  }

  v1::Lot lot(const std::string& id) const {
    return parsed_output<v1::Lot>(net_.cli({"lot", "show", id, "--output", "json"}));
  }

  const std::chrono::milliseconds shift_ = walkthrough_shift();
  SingleNodeNetwork net_;
};

TEST_F(WalkthroughTest, RunsAsWritten) {
  std::set<std::string> named = run_section("## 2.");
  const v1::Lot green = lot("GR-001");
  EXPECT_EQ(green.mass_g(), 10'000u) << "section 3: 10,000 g left";
  EXPECT_EQ(green.owner(), "exp-1");
  ASSERT_EQ(green.claims_size(), 1);
  EXPECT_TRUE(green.claims(0).holds());

  named.merge(run_section("## 4."));
  // The prose below the table: after the milling, H-2026-001 is empty.
  named.insert("examples/frauds/wet-mill-too-much.json");
  expect_refused(net_, example("examples/frauds/wet-mill-too-much.json"), "mill-1",
                 "MASS_BALANCE_EXCEEDED");

  named.merge(run_section("## 6."));
  CommandResult certificate = net_.cli({"cert", "show", "PE-BIO-149-0100"});
  EXPECT_NE(certificate.out.find("F-103  SANCTIONED"), std::string::npos) << certificate.out;
  EXPECT_NE(certificate.out.find("approved 1000000 g"), std::string::npos) << certificate.out;
  const v1::Lot cascara = lot("CA-101");
  EXPECT_EQ(cascara.form(), v1::CASCARA);
  EXPECT_EQ(cascara.mass_g(), 95'000u) << "95 kg of organic cascara";
  EXPECT_EQ(cascara.claims_size(), 1);
  EXPECT_EQ(lot("H-103").claims_size(), 0) << "the failed inspection took the claim away";

  for (const char* dir : {"examples/journey", "examples/frauds", "examples/organic"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot + "/" + dir)) {
      if (entry.path().extension() != ".json") continue;
      const std::string file = entry.path().lexically_relative(kRoot).string();
      EXPECT_TRUE(named.count(file)) << "docs/walkthrough.md never submits " << file;
    }
  }
  CommandResult audit = net_.cli({"audit", "--genesis", (net_.dir() / "genesis.json").string()});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
}

}  // namespace
}  // namespace coopchain::testing
