// PLOT_OVERLAP: the same land may not be registered under a second farm (its harvests would be
// counted twice against the yield caps); neighbours that share a side, or a sliver of at most
// 5 %, are accepted, and one farm's plots may overlap each other. Consensus-visible: these
// verdicts, and the plot index in the state, decide which blocks are valid.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

constexpr int64_t kLon = -765000000, kLat = -64800000;  // clear of the standard world's plots
constexpr int64_t kSide = 10'000;                       // 0.001°, about 12,200 m²

Plot square_plot(std::string id, int64_t lon, int64_t lat, int64_t side = kSide) {
  // The declared area follows the side, so AREA_MISMATCH stays out of the way.
  const uint64_t area = static_cast<uint64_t>(12'232 * side / kSide * side / kSide);
  return plot(std::move(id), area, Crop::kCoffee, square(lon, lat, side));
}

Geometry triangle(int64_t lon, int64_t lat, bool upper) {
  // Half of a square, cut along its rising diagonal.
  std::vector<Position> ring =
      upper ? std::vector<Position>{{lon, lat}, {lon + kSide, lat + kSide}, {lon, lat + kSide}}
            : std::vector<Position>{{lon, lat}, {lon + kSide, lat}, {lon + kSide, lat + kSide}};
  ring.push_back(ring.front());
  return Geometry{Geometry::Type::kPolygon, {ring}, ""};
}

class PlotOverlap : public ::testing::Test {
 protected:
  void SetUp() override {
    chain.accept("coop-1", register_farm("F-1", {square_plot("P-1", kLon, kLat)}));
    chain.commit();
  }
  Verdict another_farm(Plot p) { return chain.submit("coop-2", register_farm("F-2", {p})); }
  TestChain chain;
};

TEST_F(PlotOverlap, TheSameLandUnderAnotherFarmIsRefusedAndNothingIsStored) {
  Verdict v = another_farm(square_plot("P-9", kLon, kLat));
  EXPECT_EQ(v.code, RuleCode::kPlotOverlap);
  EXPECT_NE(v.message.find("overlaps plot P-1 of farm F-1 by 100.0 %"), std::string::npos)
      << v.message;
  EXPECT_TRUE(chain.block().changes().empty());
  // Also a plot wholly inside it, or around it: 100 % of the smaller one.
  EXPECT_EQ(another_farm(square_plot("P-9", kLon + 2'000, kLat + 2'000, 5'000)).code,
            RuleCode::kPlotOverlap);
  EXPECT_EQ(another_farm(square_plot("P-9", kLon - 5'000, kLat - 5'000, 20'000)).code,
            RuleCode::kPlotOverlap);
}

TEST_F(PlotOverlap, NeighboursSharingASideOrASliverAreAccepted) {
  chain.accept("coop-2", register_farm("F-2", {square_plot("P-1", kLon + kSide, kLat)}));
  // 4 % of the square is shared with F-1's.
  chain.accept("coop-2", register_farm("F-3", {square_plot("P-1", kLon - kSide + 400, kLat)}));
  chain.commit();
}

TEST_F(PlotOverlap, MoreThanFivePercentIsRefused) {
  Verdict v = another_farm(square_plot("P-1", kLon - kSide + 600, kLat));
  EXPECT_EQ(v.code, RuleCode::kPlotOverlap);
  EXPECT_NE(v.message.find("by 6.0 %"), std::string::npos) << v.message;
}

TEST_F(PlotOverlap, BoxesThatMeetAreNotEnoughShapesMustOverlap) {
  chain.accept("coop-2", register_farm("F-2", {plot("P-1", 6'116, Crop::kCoffee,
                                                    triangle(kLon + kSide, kLat, true))}));
  chain.accept("coop-2", register_farm("F-3", {plot("P-1", 6'116, Crop::kCoffee,
                                                    triangle(kLon + kSide, kLat, false))}));
  chain.commit();
  // Each triangle lies within the box of the other, and of F-1's square.
  Verdict v = chain.submit(
      "coop-2",
      register_farm("F-4", {plot("P-1", 6'116, Crop::kCoffee, triangle(kLon, kLat, true))}));
  EXPECT_EQ(v.code, RuleCode::kPlotOverlap) << v.to_string();
  EXPECT_NE(v.message.find("of farm F-1 by 100.0 %"), std::string::npos) << v.message;
}

TEST_F(PlotOverlap, OneFarmsPlotsMayOverlapEachOther) {
  // Coffee under cocoa shade: one piece of land, two crops.
  Plot cocoa = square_plot("P-2", kLon + 3 * kSide, kLat);
  cocoa.crop = Crop::kCocoa;
  chain.accept("coop-1", register_farm("F-5", {square_plot("P-1", kLon + 3 * kSide, kLat), cocoa}));
}

TEST_F(PlotOverlap, APartOfAMultiPolygonIsEnough) {
  Geometry two{Geometry::Type::kMultiPolygon,
               {square(kLon + 5 * kSide, kLat).rings[0], square(kLon, kLat).rings[0]},
               ""};
  EXPECT_EQ(another_farm(plot("P-1", 24'464, Crop::kCoffee, two)).code, RuleCode::kPlotOverlap);
}

TEST_F(PlotOverlap, PointsHaveNoAreaAndNeverOverlap) {
  chain.accept("coop-2", register_farm("F-2", {plot("P-1", 10'000, Crop::kCoffee,
                                                    point(kLon + kSide / 2, kLat + kSide / 2))}));
}

}  // namespace
}  // namespace coopchain::testing
