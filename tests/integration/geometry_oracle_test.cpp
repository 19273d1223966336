// An independent oracle for the plot geometry rules: random polygons are checked by
// `coopchain eudr check` (the rules' check_geometry) and by GEOS through Debian's
// python3-shapely, and every verdict must agree. The polygons have 4 to 6 distinct vertices
// at 6 decimals (nothing for truncation to change) in a 0.01-degree box, so they differ only
// in whether their sides cross, which is what GEOS's is_valid decides. Then random pairs of
// plots that partly overlap: the share PLOT_OVERLAP measures must be GEOS's.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "harness.h"

namespace coopchain::testing {
namespace {

constexpr const char* kShapelyVerdicts = R"(import json, sys
from shapely.geometry import shape
features = json.load(open(sys.argv[1]))["features"]
print("".join("1" if shape(f["geometry"]).is_valid else "0" for f in features))
)";

std::string random_polygons(int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> micro(0, 10'000);  // 1e-6 degrees within 0.01 degrees
  std::uniform_int_distribution<int> sides(4, 6);
  std::ostringstream out;
  out << R"({"type": "FeatureCollection", "features": [)";
  for (int k = 0; k < count; ++k) {
    std::set<std::pair<int, int>> used;
    std::vector<std::pair<int, int>> ring;
    const int n = sides(rng);
    while (static_cast<int>(ring.size()) < n) {
      std::pair<int, int> v{micro(rng), micro(rng)};
      if (used.insert(v).second) ring.push_back(v);
    }
    ring.push_back(ring.front());
    out << (k == 0 ? "" : ",") << R"({"type": "Feature", "properties": {}, "geometry":
        {"type": "Polygon", "coordinates": [[)";
    for (size_t i = 0; i < ring.size(); ++i) {
      char position[64];
      std::snprintf(position, sizeof position, "%s[-76.%06d, -6.%06d]", i == 0 ? "" : ",",
                    ring[i].first, ring[i].second);
      out << position;
    }
    out << "]]}}";
  }
  out << "]}";
  return out.str();
}

TEST(GeometryOracleTest, TheRulesAndGeosAgreeOnRandomPolygons) {
  constexpr int kPolygons = 400;
  TempDir dir;
  const std::string file = dir.sub("plots.geojson");
  std::ofstream(file) << random_polygons(kPolygons, 20261201);
  const std::string script = dir.sub("shapely_verdicts.py");
  std::ofstream(script) << kShapelyVerdicts;

  CommandResult geos = run_command({"/usr/bin/python3", script, file});
  ASSERT_EQ(geos.exit_code, 0) << geos.err << "\n(scripts/setup installs python3-shapely)";
  std::string oracle = geos.out;
  while (!oracle.empty() && (oracle.back() == '\n' || oracle.back() == '\r')) oracle.pop_back();
  ASSERT_EQ(oracle.size(), static_cast<size_t>(kPolygons));

  CommandResult ours = run_command({cli_binary(), "eudr", "check", file, "--output", "json"});
  google::protobuf::Struct report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ours.out, &report).ok()) << ours.out;
  const auto& geometries = report.fields().at("geometries").list_value().values();
  ASSERT_EQ(geometries.size(), kPolygons);

  int valid = 0, disagreements = 0;
  for (int k = 0; k < kPolygons; ++k) {
    const auto& verdict = geometries[k].struct_value().fields();
    const bool accepted = verdict.at("ruleCode").string_value() == "OK";
    const bool geos_valid = oracle[static_cast<size_t>(k)] == '1';
    valid += geos_valid ? 1 : 0;
    if (accepted != geos_valid) {
      ++disagreements;
      ADD_FAILURE() << "polygon " << k + 1 << ": GEOS says " << (geos_valid ? "valid" : "invalid")
                    << ", the rules say " << verdict.at("message").string_value();
    }
  }
  EXPECT_EQ(disagreements, 0);
  // Both kinds in numbers, or the comparison proves little.
  EXPECT_GT(valid, kPolygons / 10);
  EXPECT_LT(valid, kPolygons * 9 / 10);
}

constexpr const char* kShapelyOverlaps = R"(import json, sys
from shapely.geometry import shape
features = json.load(open(sys.argv[1]))["features"]
for i in range(0, len(features), 2):
    a, b = shape(features[i]["geometry"]), shape(features[i + 1]["geometry"])
    if not (a.is_valid and b.is_valid):
        print(-1)
    else:
        print("%.6f" % (a.intersection(b).area / min(a.area, b.area)))
)";

// A star-shaped polygon (vertices in angle order around a centre, so its sides never cross)
// of 5 to 12 vertices, 30 to 300 m from the centre, at 6 decimals.
std::string star(std::mt19937_64& rng, int cx, int cy) {
  std::uniform_int_distribution<int> vertices(5, 12), radius(300, 3'000);
  std::uniform_real_distribution<double> angle(0, 2 * M_PI);
  std::vector<double> angles(static_cast<size_t>(vertices(rng)));
  for (double& a : angles) a = angle(rng);
  std::sort(angles.begin(), angles.end());
  std::string out = "[[";
  std::string first;
  for (double a : angles) {
    const int r = radius(rng);
    char position[64];
    std::snprintf(position, sizeof position, "[%.6f, %.6f],",
                  (cx + static_cast<int>(std::lround(r * std::cos(a)))) * 1e-6,
                  (cy + static_cast<int>(std::lround(r * std::sin(a)))) * 1e-6);
    if (first.empty()) first = position;
    out += position;
  }
  first.pop_back();  // the closing position repeats the first, without the comma
  return out + first + "]]";
}

TEST(GeometryOracleTest, TheOverlapRuleMeasuresWhatGeosMeasures) {
  constexpr int kPairs = 200;
  std::mt19937_64 rng(20261202);
  std::uniform_int_distribution<int> shift(-3'500, 3'500);
  std::ostringstream file_text;
  file_text << R"({"type": "FeatureCollection", "features": [)";
  for (int k = 0; k < kPairs; ++k) {
    // Each pair 0.1° from the others, so only its own two plots can meet.
    const int cx = -76'500'000 + (k % 20) * 100'000, cy = -6'500'000 + (k / 20) * 100'000;
    for (int j = 0; j < 2; ++j) {
      file_text << (k + j == 0 ? "" : ",") << R"({"type": "Feature", "properties":
          {"ProductionPlace": "F-)"
                << 2 * k + j << R"(/P-1"}, "geometry": {"type": "Polygon", "coordinates": )"
                << star(rng, cx + (j == 0 ? 0 : shift(rng)), cy + (j == 0 ? 0 : shift(rng)))
                << "}}";
    }
  }
  file_text << "]}";
  TempDir dir;
  const std::string file = dir.sub("pairs.geojson");
  std::ofstream(file) << file_text.str();
  const std::string script = dir.sub("shapely_overlaps.py");
  std::ofstream(script) << kShapelyOverlaps;

  CommandResult geos = run_command({"/usr/bin/python3", script, file});
  ASSERT_EQ(geos.exit_code, 0) << geos.err << "\n(scripts/setup installs python3-shapely)";
  std::vector<double> shares;
  std::istringstream lines(geos.out);
  for (double share; lines >> share;) shares.push_back(share);
  ASSERT_EQ(shares.size(), static_cast<size_t>(kPairs));

  CommandResult ours = run_command({cli_binary(), "eudr", "check", file, "--output", "json"});
  google::protobuf::Struct report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ours.out, &report).ok()) << ours.out;
  const auto& geometries = report.fields().at("geometries").list_value().values();
  ASSERT_EQ(geometries.size(), 2u * kPairs);
  std::map<int, std::pair<double, bool>> measured;  // pair → our share, refused
  for (const auto& o : report.fields().at("overlaps").list_value().values()) {
    const auto& f = o.struct_value().fields();
    const int a = std::stoi(f.at("a").string_value().substr(std::string("feature ").size())) - 1;
    const int b = std::stoi(f.at("b").string_value().substr(std::string("feature ").size())) - 1;
    ASSERT_EQ(a / 2, b / 2) << "plots of two different pairs overlap";
    measured[a / 2] = {std::stod(f.at("percent").string_value()) / 100,
                       f.at("ruleCode").string_value() == "PLOT_OVERLAP"};
  }
  int compared = 0, overlapping = 0, refused = 0;
  for (int k = 0; k < kPairs; ++k) {
    const bool both_valid =
        geometries[2 * k].struct_value().fields().at("ruleCode").string_value() == "OK" &&
        geometries[2 * k + 1].struct_value().fields().at("ruleCode").string_value() == "OK";
    // Rounding to 6 decimals can make two close vertices cross or fold: both must see it.
    EXPECT_EQ(both_valid, shares[k] >= 0) << "pair " << k + 1;
    if (!both_valid) continue;
    ++compared;
    const auto it = measured.find(k);
    const double ours_share = it == measured.end() ? 0 : it->second.first;
    const bool ours_refused = it != measured.end() && it->second.second;
    // Ours is rounded down to a tenth of a percent, and the points where sides cross are
    // rounded to the 1e-6° grid (11 cm), which moves a small plot's share by a little more.
    EXPECT_NEAR(ours_share, shares[k], 0.002) << "pair " << k + 1;
    if (std::abs(shares[k] - 0.05) > 0.002) {
      EXPECT_EQ(ours_refused, shares[k] > 0.05) << "pair " << k + 1 << ", GEOS " << shares[k];
    }
    overlapping += shares[k] > 0 ? 1 : 0;
    refused += ours_refused ? 1 : 0;
  }
  EXPECT_GE(compared, kPairs * 9 / 10);
  // Pairs apart, overlapping a little and a lot, or the comparison proves little.
  EXPECT_GT(overlapping, kPairs / 4);
  EXPECT_LT(overlapping, kPairs * 9 / 10);
  EXPECT_GT(refused, kPairs / 8);
  EXPECT_NE(ours.exit_code, 0) << "PLOT_OVERLAP pairs were found, so the check must fail";
}

}  // namespace
}  // namespace coopchain::testing
