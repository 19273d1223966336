// updatePlot: a cooperative corrects a plot's geometry and area (a Point replaced by the surveyed
// Polygon). The plot keeps every geometry it had with the heights it held between, the new one
// passes the same checks as at registration, the plot index follows, and the yield cap follows
// the new area. Consensus-visible: these verdicts and records.
#include <algorithm>

#include "coopchain/state/plot_index.h"
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

constexpr int64_t kLon = -765000000, kLat = -64800000;  // clear of other test plots

Event update(std::string farm, std::string plot_id, uint64_t area, Geometry g) {
  return UpdatePlot{std::move(farm), std::move(plot_id), area, std::move(g)};
}

class UpdatePlotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One hectare declared with a Point: the GPS reading at the farmhouse.
    chain.accept("coop-1", register_farm("F-1", {plot("P-1", 10'000, Crop::kCoffee,
                                                      point(kLon + 5'000, kLat + 5'000))}));
    chain.commit();  // height 1
  }
  TestChain chain;
};

TEST_F(UpdatePlotTest, APointCorrectedToAPolygonKeepsTheOldGeometryWithItsHeights) {
  chain.accept("coop-1", update("F-1", "P-1", 12'232, square(kLon, kLat)));
  chain.commit();  // height 2
  const WorldView world(chain.block());
  const FarmRecord farm = *world.farm("F-1");
  const Plot& now = farm.plots.at(0);
  EXPECT_EQ(now.geometry, square(kLon, kLat));
  EXPECT_EQ(now.area_m2, 12'232u);
  EXPECT_EQ(now.species, "Coffea arabica");
  const auto history = world.plot_history("F-1", "P-1");
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(history->since_height, 2u);
  const auto revisions = world.plot_revisions("F-1", "P-1");
  ASSERT_EQ(revisions.size(), 1u);
  EXPECT_EQ(revisions[0].geometry, point(kLon + 5'000, kLat + 5'000));
  EXPECT_EQ(revisions[0].area_m2, 10'000u);
  EXPECT_EQ(revisions[0].from_height, 1u);
  EXPECT_EQ(revisions[0].until_height, 2u);

  // A second survey: two revisions, oldest first.
  chain.accept("coop-1", update("F-1", "P-1", 13'000, square(kLon, kLat, 10'300)));
  chain.commit();
  const auto again = WorldView(chain.block()).plot_revisions("F-1", "P-1");
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].geometry, square(kLon, kLat));
  EXPECT_EQ(again[1].from_height, 2u);
  EXPECT_EQ(again[1].until_height, 3u);
}

TEST_F(UpdatePlotTest, TheNewGeometryPassesTheRegistrationChecksOrNothingIsStored) {
  Geometry open = square(kLon, kLat);
  open.rings[0].pop_back();
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-1", 12'232, open)).code,
            RuleCode::kBadGeometry);
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-1", 12'232, Geometry{})).code,
            RuleCode::kBadGeometry);
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-1", 40'000, square(kLon, kLat))).code,
            RuleCode::kAreaMismatch);
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-1", 0, square(kLon, kLat))).code,
            RuleCode::kMalformed);
  EXPECT_TRUE(chain.block().changes().empty());
}

TEST_F(UpdatePlotTest, OnlyTheFarmsCooperativeMayUpdateAnExistingPlot) {
  EXPECT_EQ(chain.submit("coop-2", update("F-1", "P-1", 12'232, square(kLon, kLat))).code,
            RuleCode::kNotAMember);
  EXPECT_EQ(chain.submit("mill-1", update("F-1", "P-1", 12'232, square(kLon, kLat))).code,
            RuleCode::kRoleNotAllowed);
  EXPECT_EQ(chain.submit("coop-1", update("F-9", "P-1", 12'232, square(kLon, kLat))).code,
            RuleCode::kUnknownFarm);
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-9", 12'232, square(kLon, kLat))).code,
            RuleCode::kUnknownPlot);
  EXPECT_TRUE(chain.block().changes().empty());
}

TEST_F(UpdatePlotTest, ThePlotIndexFollowsTheGeometry) {
  chain.accept("coop-1", update("F-1", "P-1", 12'232, square(kLon, kLat)));
  // Moving onto another farm's land is refused; moving within its own old land is not.
  chain.accept(
      "coop-2",
      register_farm("F-2", {plot("P-1", 12'232, Crop::kCoffee, square(kLon + 20'000, kLat))}));
  EXPECT_EQ(chain.submit("coop-1", update("F-1", "P-1", 12'232, square(kLon + 19'000, kLat))).code,
            RuleCode::kPlotOverlap);
  chain.accept("coop-1", update("F-1", "P-1", 12'232, square(kLon + 500, kLat)));
  chain.commit();
  // The land it left is free again.
  chain.accept(
      "coop-2",
      register_farm("F-3", {plot("P-1", 3'000, Crop::kCoffee, square(kLon - 4'500, kLat, 5'000))}));
  // F-1's plot is in the index once, where it is now.
  std::vector<std::string> near;
  for (const PlotRef& p : plots_near(WorldView(chain.block()), box_of(square(kLon, kLat)))) {
    near.push_back(p.farm_id + "/" + p.plot_id + " " + std::to_string(p.box.min_lon_e7 - kLon));
  }
  std::sort(near.begin(), near.end());
  EXPECT_EQ(near, (std::vector<std::string>{"F-1/P-1 500", "F-3/P-1 -4500"}));
}

TEST_F(UpdatePlotTest, TheYieldCapFollowsTheNewArea) {
  // 1 ha of coffee: 15,000 kg of cherry a year.
  chain.accept("coop-1", harvest("H-1", "F-1", "P-1", 15'000'000, at("2026-10-20T14:00:00Z")));
  EXPECT_EQ(
      chain.submit("coop-1", harvest("H-2", "F-1", "P-1", 1'000, at("2026-10-21T14:00:00Z"))).code,
      RuleCode::kYieldImplausible);
  // Surveyed at 1.22 ha: 18,348 kg.
  chain.accept("coop-1", update("F-1", "P-1", 12'232, square(kLon, kLat)));
  chain.accept("coop-1", harvest("H-2", "F-1", "P-1", 3'348'000, at("2026-10-21T14:00:00Z")));
  EXPECT_EQ(
      chain.submit("coop-1", harvest("H-3", "F-1", "P-1", 1, at("2026-10-22T14:00:00Z"))).code,
      RuleCode::kYieldImplausible);
}

}  // namespace
}  // namespace coopchain::testing
