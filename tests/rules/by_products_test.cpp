// A processing step's by-products: lots of their own (cascara, cocoa shell and pulp), each within
// its conversion cap, and the step's outputs together within what its inputs gave.
// Consensus-visible: these verdicts and the lots they create.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");

// H-1: 1,200 kg of F-001's cherry, organic (C-COOP). A wet mill makes parchment (cap 25 %) and
// cascara (cap 20 %).
Event wet_mill(std::vector<ByProduct> by_products) {
  Event e = process("PA-9", {{"H-1", 1'200'000}}, ProcessingStep::kWetMill, Form::kParchment,
                    250'000, kNov10, {Scheme::kEuOrganic});
  std::get<Processing>(e).by_products = std::move(by_products);
  return e;
}

TEST(ByProducts, AWetMillMakesCascaraAsALotOfItsOwn) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("coop-1", wet_mill({{"CA-9", Form::kCascara, 200'000}}));
  chain.commit();
  const LotRecord cascara = chain.lot("CA-9");
  EXPECT_EQ(cascara.form, Form::kCascara);
  EXPECT_EQ(cascara.mass_g, 200'000u);
  EXPECT_EQ(cascara.owner, "coop-1");
  EXPECT_EQ(cascara.crop, Crop::kCoffee);
  EXPECT_EQ(cascara.origins, chain.lot("PA-9").origins);
  EXPECT_EQ(cascara.inputs, (std::vector<LotAmount>{{"H-1", 1'200'000}}));
  EXPECT_NE(cascara.find_claim(Scheme::kEuOrganic), nullptr) << "organic cherry, organic cascara";
  EXPECT_EQ(chain.lot("H-1").mass_g, 0u);
  // The input's history names every lot it went into, the by-product too.
  const LotRecord cherry = chain.lot("H-1");
  const LotEventRecord& input = cherry.history.back();
  EXPECT_EQ(input.kind, LotEventKind::kInput);
  EXPECT_EQ(input.lot_id, "PA-9");
  EXPECT_EQ(input.by_products, std::vector<std::string>{"CA-9"});
}

TEST(ByProducts, EachStaysWithinItsCapAndAllWithinTheInputs) {
  TestChain chain;
  chain.build_standard_world();
  EXPECT_EQ(chain.submit("coop-1", wet_mill({{"CA-9", Form::kCascara, 240'001}})).code,
            RuleCode::kConversionImplausible);
  EXPECT_EQ(chain.submit("coop-1", wet_mill({{"CA-9", Form::kCocoaShell, 1'000}})).code,
            RuleCode::kConversionImplausible)
      << "no cocoa shell from coffee cherry";
  EXPECT_EQ(chain.submit("coop-1", wet_mill({{"H-2", Form::kCascara, 1'000}})).code,
            RuleCode::kLotExists);
  EXPECT_EQ(chain.submit("coop-1", wet_mill({{"PA-9", Form::kCascara, 1'000}})).code,
            RuleCode::kMalformed);
  // A SPLIT into two halves and a by-product of the same form would give out more than came in.
  Event split = process("S-9", {{"H-1", 1'200'000}}, ProcessingStep::kSplit, Form::kCherry,
                        1'200'000, kNov10);
  std::get<Processing>(split).by_products = {{"S-10", Form::kCherry, 1}};
  EXPECT_EQ(chain.submit("coop-1", split).code, RuleCode::kMassBalanceExceeded);
  EXPECT_TRUE(chain.block().changes().empty());
}

}  // namespace
}  // namespace coopchain::testing
