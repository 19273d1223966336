// Quality at processing and reception: each measure range-checked and of its crop
// (QUALITY_OUT_OF_RANGE). Consensus-visible: these verdicts and the samples the lots keep.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");

Quality coffee_sample() {
  return Quality{"SHB", 845, 110, 3, 12, 16, {}};
}
Quality cocoa_sample() {
  return Quality{"Grade I", 0, 75, 0, 0, 0, {800, 20, 10, 5}};
}
Event milled(Quality q) {
  Event e = process("PA-9", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
                    250'000, kNov10);
  std::get<Processing>(e).quality = std::move(q);
  return e;
}

TEST(Quality, EachCoffeeMeasureIsRangeChecked) {
  TestChain chain;
  chain.build_standard_world();
  for (auto bad : {Quality{"", 1001, 0, 0, 0, 0, {}}, Quality{"", 0, 801, 0, 0, 0, {}},
                   Quality{"", 0, 0, 2001, 0, 0, {}}, Quality{"", 0, 0, 0, 2001, 0, {}},
                   Quality{"", 0, 0, 0, 0, 7, {}}, Quality{"", 0, 0, 0, 0, 21, {}},
                   Quality{"", 0, 0, 0, 0, 0, {1, 0, 0, 0}}}) {
    const Verdict v = chain.submit("coop-1", milled(bad));
    EXPECT_EQ(v.code, RuleCode::kQualityOutOfRange) << v.to_string();
  }
  EXPECT_TRUE(chain.block().changes().empty());
  chain.accept("coop-1", milled(coffee_sample()));
  chain.commit();
  EXPECT_EQ(chain.lot("PA-9").quality, coffee_sample());
}

TEST(Quality, TheCutTestIsCocoasAndAddsUpToAtMostAllTheBeans) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("coop-1", harvest("H-9", "F-001", "P-3", 100'000, kNov10, {}, Crop::kCocoa));
  chain.commit();
  Event dried =
      process("DB-9", {{"H-9", 100'000}}, ProcessingStep::kDrying, Form::kDryBeans, 40'000, kNov10);
  std::get<Processing>(dried).quality = Quality{"", 0, 75, 0, 0, 0, {900, 60, 30, 11}};
  EXPECT_EQ(chain.submit("coop-1", dried).code, RuleCode::kQualityOutOfRange) << "1001 per mille";
  std::get<Processing>(dried).quality = Quality{"", 845, 75, 0, 0, 0, {}};
  EXPECT_EQ(chain.submit("coop-1", dried).code, RuleCode::kQualityOutOfRange)
      << "a cup score is coffee's";
  std::get<Processing>(dried).quality = cocoa_sample();
  chain.accept("coop-1", dried);
}

TEST(Quality, AReceptionSampleBecomesTheLotsQualityAndStaysInItsHistory) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("coop-1", milled(coffee_sample()));
  chain.accept("coop-1", transfer("PA-9", "mill-1", 250'000, kNov10));
  chain.commit();
  Quality at_mill{"SHB", 0, 118, 5, 14, 15, {}};
  EXPECT_EQ(chain
                .submit("mill-1",
                        ReceiveLot{"PA-9", 250'000, kNov10, "", Quality{"", 0, 0, 0, 0, 25, {}}})
                .code,
            RuleCode::kQualityOutOfRange);
  chain.accept("mill-1", ReceiveLot{"PA-9", 250'000, kNov10, "", at_mill});
  chain.commit();
  const LotRecord lot = chain.lot("PA-9");
  EXPECT_EQ(lot.quality, at_mill);
  EXPECT_EQ(lot.history.back().quality, at_mill);
}

}  // namespace
}  // namespace coopchain::testing
