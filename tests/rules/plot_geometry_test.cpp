// Plot geometries the EU Information System refuses, each refused here with BAD_GEOMETRY and a
// reason that names what to fix; and those it accepts, accepted. Coordinates are in 1e-7
// degrees, near Moyobamba; S is about 110 m.
#include "test_chain.h"

namespace coopchain::testing {
namespace {

constexpr int64_t kLon = -765'000'000;
constexpr int64_t kLat = -64'800'000;
constexpr int64_t S = 10'000;

Geometry shape_of(Geometry::Type type, std::vector<std::vector<Position>> rings) {
  return Geometry{type, std::move(rings), ""};
}

// A ring from offsets in units of 1e-7 degrees around (kLon, kLat).
std::vector<Position> ring(std::initializer_list<std::pair<int64_t, int64_t>> offsets) {
  std::vector<Position> out;
  for (auto [dx, dy] : offsets) out.push_back({kLon + dx, kLat + dy});
  return out;
}

Geometry polygon(std::vector<std::vector<Position>> rings) {
  return shape_of(Geometry::Type::kPolygon, std::move(rings));
}

// With a declared area that fits one default square (12,232 m²).
Verdict check(const Geometry& g, uint64_t declared_m2 = 12'000) {
  TestChain c;
  return c.rules().check_shape(
      c.tx("coop-1", register_farm("F-9", {plot("P-1", declared_m2, Crop::kCoffee, g)})));
}

void expect_refused(const Geometry& g, const std::string& words) {
  Verdict v = check(g);
  EXPECT_EQ(v.code, RuleCode::kBadGeometry) << v.to_string();
  EXPECT_NE(v.message.find(words), std::string::npos)
      << "expected \"" << words << "\" in " << v.message;
}

const std::vector<Position> kSquare = ring({{0, 0}, {0, S}, {S, S}, {S, 0}, {0, 0}});

TEST(PlotGeometry, AcceptsASquareEitherWayRound) {
  EXPECT_TRUE(check(polygon({kSquare})).ok());
  EXPECT_TRUE(check(polygon({ring({{0, 0}, {S, 0}, {S, S}, {0, S}, {0, 0}})})).ok());
}

TEST(PlotGeometry, RefusesABowTie) {
  expect_refused(polygon({ring({{0, 0}, {S, S}, {S, 0}, {0, S}, {0, 0}})}), "crosses or overlaps");
}

TEST(PlotGeometry, RefusesASpike) {
  expect_refused(polygon({ring({{0, 0}, {0, S}, {S, S}, {S, 0}, {2 * S, 0}, {S, 0}, {0, 0}})}),
                 "vertex 5 is a spike");
}

TEST(PlotGeometry, RefusesAHole) {
  expect_refused(polygon({kSquare, ring({{10, 10}, {20, 10}, {20, 20}, {10, 10}})}), "hole");
}

TEST(PlotGeometry, RefusesAnOpenRingAndTooFewPositions) {
  expect_refused(polygon({ring({{0, 0}, {0, S}, {S, S}, {S, 0}})}), "not closed");
  expect_refused(polygon({ring({{0, 0}, {0, S}, {0, 0}})}), "at least 4");
}

TEST(PlotGeometry, RefusesACollinearRing) {
  expect_refused(polygon({ring({{0, 0}, {S, 0}, {2 * S, 0}, {0, 0}})}), "no area");
}

// Valid at 7 decimals; the EU truncates to 6, where it is a line (or repeats a vertex).
TEST(PlotGeometry, RefusesAPolygonValidOnlyBeforeTruncation) {
  expect_refused(polygon({ring({{0, 0}, {S, -3}, {2 * S, 0}, {0, 0}})}), "no area");
  expect_refused(polygon({ring({{0, 0}, {0, S}, {-3, S}, {S, S}, {S, 0}, {0, 0}})}),
                 "vertex 3 repeats vertex 2 once truncated to 6 decimals");
}

TEST(PlotGeometry, RefusesCoordinatesOutOfRange) {
  expect_refused(polygon({{{0, 0}, {0, 910'000'000}, {10, 10}, {0, 0}}}), "out of range");
  expect_refused(point(1'800'000'001, 0), "out of range");
}

TEST(PlotGeometry, AcceptsAMultiPolygonOfSeparateShapesAndRefusesOverlappingOnes) {
  const auto far = ring({{3 * S, 0}, {3 * S, S}, {4 * S, S}, {4 * S, 0}, {3 * S, 0}});
  EXPECT_TRUE(check(shape_of(Geometry::Type::kMultiPolygon, {kSquare, far}), 24'000).ok());
  const auto overlapping = ring({{S / 2, 0}, {S / 2, S}, {2 * S, S}, {2 * S, 0}, {S / 2, 0}});
  expect_refused(shape_of(Geometry::Type::kMultiPolygon, {kSquare, overlapping}), "not apart");
  expect_refused(shape_of(Geometry::Type::kMultiPolygon,
                          {kSquare, ring({{0, 0}, {S, S}, {S, 0}, {0, S}, {0, 0}})}),
                 "polygon 2");
}

// The EU's rule is "more than 4 ha needs a polygon": a Point may stand for exactly 4 ha.
TEST(PlotGeometry, APointMayStandForAPlotOfFourHectaresForAnEuExport) {
  for (uint64_t area : {40'000u, 40'001u}) {
    TestChain c;
    c.accept("coop-1", register_farm("F-4", {plot("P-1", area, Crop::kCoffee, point())}));
    c.accept("coop-1", harvest("H-4", "F-4", "P-1", 10'000, at("2026-10-20T14:00:00Z")));
    Verdict v =
        c.submit("coop-1", ship("E-4", {{"H-4", 10'000}}, "DE", at("2026-11-01T00:00:00Z")));
    if (area == 40'000) {
      EXPECT_TRUE(v.ok()) << v.to_string();
    } else {
      EXPECT_EQ(v.code, RuleCode::kEudrGeolocationMissing) << v.to_string();
    }
  }
}

// The declared area must be within 10 % (or 500 m², whichever is more) of the polygons' area on
// the WGS 84 ellipsoid, computed in integers: 12,232 m² for the default square here (a slow
// numerical integration of M·N·cos φ gives 12,232.5).
TEST(PlotGeometry, RefusesADeclaredAreaFarFromThePolygons) {
  EXPECT_TRUE(check(polygon({kSquare}), 11'100).ok());
  EXPECT_TRUE(check(polygon({kSquare}), 13'400).ok());
  Verdict v = check(polygon({kSquare}), 11'000);
  EXPECT_EQ(v.code, RuleCode::kAreaMismatch) << v.to_string();
  EXPECT_NE(v.message.find("cover 12232 m²"), std::string::npos) << v.message;
  EXPECT_EQ(check(polygon({kSquare}), 13'500).code, RuleCode::kAreaMismatch);
  // 500 m² of slack for small plots: a 0.0002° square is about 489 m².
  const auto small = ring({{0, 0}, {0, 2'000}, {2'000, 2'000}, {2'000, 0}, {0, 0}});
  EXPECT_TRUE(check(polygon({small}), 900).ok());
  EXPECT_EQ(check(polygon({small}), 1'000).code, RuleCode::kAreaMismatch);
  // A 2 ha polygon declared as 6 ha (the finding that started this).
  EXPECT_EQ(check(polygon({kSquare}), 60'000).code, RuleCode::kAreaMismatch);
}

// Far from the equator the same square in degrees covers less ground.
TEST(PlotGeometry, AreaFollowsTheLatitude) {
  const std::vector<Position> north = {{0, 600'000'000},
                                       {0, 600'100'000},
                                       {100'000, 600'100'000},
                                       {100'000, 600'000'000},
                                       {0, 600'000'000}};
  // 0.01° × 0.01° at 60° N: 621,587 m² by numerical integration.
  EXPECT_TRUE(check(polygon({north}), 621'587).ok());
  EXPECT_EQ(check(polygon({north}), 700'000).code, RuleCode::kAreaMismatch);
}

}  // namespace
}  // namespace coopchain::testing
