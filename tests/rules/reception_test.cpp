// receiveLot: the recipient of a transfer weighs in what arrived. A shortfall is a loss with a
// reason; more than was sent is a scale difference within the chain's tolerance (the lot keeps
// the mass sent), and beyond it RECEPTION_MISMATCH. Consensus-visible: these verdicts and the
// lot records they leave.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

const TimeMs kNov10 = at("2026-11-10T00:00:00Z");
const TimeMs kNov11 = at("2026-11-11T00:00:00Z");

Event receive(std::string lot, uint64_t mass, TimeMs t = kNov11, std::string reason = "") {
  return ReceiveLot{std::move(lot), mass, t, std::move(reason)};
}

// H-1 holds 1,200 kg of F-001's cherry; coop-1 sends it to the mill.
void send_h1_to_mill(TestChain& chain) {
  chain.build_standard_world();
  chain.accept("coop-1", transfer("H-1", "mill-1", 1'200'000, kNov10));
  chain.commit();
}

TEST(Reception, AShortfallIsALossWithItsReason) {
  TestChain chain;
  send_h1_to_mill(chain);
  EXPECT_EQ(chain.lot("H-1").in_transit_g, 1'200'000u);
  EXPECT_EQ(chain.submit("mill-1", receive("H-1", 1'195'000)).code, RuleCode::kReceptionMismatch)
      << "a loss needs a reason";
  chain.accept("mill-1", receive("H-1", 1'195'000, kNov11, "weighbridge at the mill"));
  chain.commit();
  const LotRecord received = chain.lot("H-1");
  EXPECT_EQ(received.mass_g, 1'195'000u);
  EXPECT_EQ(received.produced_g, 1'200'000u);
  EXPECT_EQ(received.in_transit_g, 0u);
  const LotEventRecord& entry = received.history.back();
  EXPECT_EQ(entry.kind, LotEventKind::kReceive);
  EXPECT_EQ(entry.mass_delta_g, -5'000);
  EXPECT_EQ(entry.received_g, 1'195'000u);
  EXPECT_EQ(entry.findings, "weighbridge at the mill");
  EXPECT_EQ(chain.submit("mill-1", receive("H-1", 1'195'000)).code, RuleCode::kReceptionMismatch)
      << "weighed in once";
}

TEST(Reception, MoreThanWasSentIsAScaleDifferenceWithinTheTolerance) {
  TestChain chain;
  send_h1_to_mill(chain);
  // 0.5 % of 1,200 kg is 6 kg.
  const Verdict beyond = chain.submit("mill-1", receive("H-1", 1'206'001));
  EXPECT_EQ(beyond.code, RuleCode::kReceptionMismatch) << beyond.to_string();
  chain.accept("mill-1", receive("H-1", 1'206'000));
  chain.commit();
  EXPECT_EQ(chain.lot("H-1").mass_g, 1'200'000u) << "no mass is created at a weighbridge";
  EXPECT_EQ(chain.lot("H-1").history.back().mass_delta_g, 0);
}

TEST(Reception, TheToleranceIsAChainParameter) {
  TestChain chain([](Genesis& g) { g.params.reception_tolerance_bp = 100; });
  send_h1_to_mill(chain);
  chain.accept("mill-1", receive("H-1", 1'212'000));
}

TEST(Reception, OnlyTheRecipientWeighsInALotInTransit) {
  TestChain chain;
  send_h1_to_mill(chain);
  EXPECT_EQ(chain.submit("mill-1", receive("H-404", 1)).code, RuleCode::kUnknownLot);
  EXPECT_EQ(chain.submit("coop-1", receive("H-1", 1'200'000)).code, RuleCode::kNotOwner);
  EXPECT_EQ(chain.submit("coop-1", receive("H-2", 100'000)).code, RuleCode::kReceptionMismatch)
      << "never transferred";
  EXPECT_EQ(chain.submit("mill-1", receive("H-1", 1'200'000, at("2026-11-09T00:00:00Z"))).code,
            RuleCode::kTimeOrder);
  EXPECT_EQ(chain.submit("cert-1", receive("H-1", 1'200'000)).code, RuleCode::kRoleNotAllowed);
  EXPECT_TRUE(chain.block().changes().empty());
  // Milling part of it says it arrived: there is nothing left to weigh in.
  chain.accept("mill-1", process("PA-1", {{"H-1", 600'000}}, ProcessingStep::kWetMill,
                                 Form::kParchment, 130'000, kNov11));
  chain.commit();
  EXPECT_EQ(chain.lot("H-1").in_transit_g, 0u);
  EXPECT_EQ(chain.submit("mill-1", receive("H-1", 600'000, kNov11, "late")).code,
            RuleCode::kReceptionMismatch);
}

}  // namespace
}  // namespace coopchain::testing
