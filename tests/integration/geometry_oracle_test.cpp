// An independent oracle for the plot geometry rules: random polygons are checked by
// `coopchain eudr check` (the rules' check_geometry) and by GEOS through Debian's
// python3-shapely, and every verdict must agree. The polygons have 4 to 6 distinct vertices
// at 6 decimals (nothing for truncation to change) in a 0.01-degree box, so they differ only
// in whether their sides cross, which is what GEOS's is_valid decides.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
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

}  // namespace
}  // namespace coopchain::testing
