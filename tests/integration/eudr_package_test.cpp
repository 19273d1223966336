// The EUDR package for an export, produced by `coopchain eudr package` from a real node, checked
// by an independent oracle: GEOS (Debian's python3-shapely) reads geolocation.geojson and every
// producer's base64 GeoJSON in dds.json, and the test compares what it finds — the plots, their
// validity after truncation, closed rings without holes, the countries, the Points' areas, the
// net weight — with what the chain says.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>

#include "event_json.h"
#include "harness.h"
#include "worked_examples.h"

namespace coopchain::testing {
namespace {

constexpr const char* kGeosReport = R"py(import base64, json, re, sys
from shapely.geometry import shape
d = sys.argv[1]
text = open(d + "/geolocation.geojson").read()
# Every coordinate has at most 6 decimals, as the EU stores them.
decimals = max((len(m) for m in re.findall(r"\.(\d+)", text)), default=0)
fc = json.loads(text)
out = {"decimals": decimals, "features": []}
for f in fc["features"]:
    g = shape(f["geometry"])
    rings_closed = True
    holes = 0
    if f["geometry"]["type"] in ("Polygon", "MultiPolygon"):
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        for p in polys:
            holes += len(p) - 1
            rings_closed = rings_closed and all(r[0] == r[-1] and len(r) >= 4 for r in p)
    out["features"].append({"place": f["properties"].get("ProductionPlace"),
                            "country": f["properties"].get("ProducerCountry"),
                            "name": f["properties"].get("ProducerName"),
                            "area": f["properties"].get("Area"),
                            "type": f["geometry"]["type"], "valid": g.is_valid,
                            "closed": rings_closed, "holes": holes})
dds = json.load(open(d + "/dds.json"))
out["netWeightKg"] = sum(c["descriptors"]["goodsMeasure"]["netWeight"] for c in dds["commodities"])
out["producerPlaces"] = sorted(
    f["properties"]["ProductionPlace"]
    for c in dds["commodities"] for p in c["producers"]
    for f in json.loads(base64.b64decode(p["geometryGeojson"]))["features"]
    if shape(f["geometry"]).is_valid)
print(json.dumps(out))
)py";

// The files of examples/eudr moved so that 2026-11-08 is now: their events (2026-11-03 to
// 2026-11-06) are days old whenever the test runs (an event more than 90 days old is TOO_LATE).
std::string example(const std::string& name) {
  return example_moved(std::string(COOPCHAIN_EUDR_EXAMPLES) + "/" + name,
                       shift_to("2026-11-08T00:00:00Z", std::chrono::milliseconds(0)));
}

class EudrPackageTest : public ::testing::Test {
 protected:
  void accept(const std::string& json, const std::string& org) {
    CommandResult r = net_.submit(json, org);
    ASSERT_EQ(r.exit_code, 0) << json << "\n" << r.out << r.err;
  }

  // The worked example of docs/eudr.md (examples/eudr): a farm with a polygon and a Point, one in
  // Colombia with a MultiPolygon, one whose Point is corrected to its surveyed polygon; their
  // plots assessed; one harvest from each plot, blended, 900 kg shipped to Hamburg. A fourth
  // farm's harvest stays at home.
  void SetUp() override {
    accept(example("01-farms.json"), "coop-1");
    accept(example("02-survey.json"), "coop-1");
    accept(example("03-assessments.json"), "cert-1");
    accept(example("04-harvests.json"), "coop-1");
    accept(R"({"registerFarm": {"farmId": "F-D", "plots": [{"plotId": "P-1", "areaM2": 10000,
        "crop": "COFFEE", "geometry": {"type": "Point", "coordinates": [-76.45, -6.45]}}]}})",
           "coop-1");
    accept(harvest_json("H-D", "F-D", 100'000, days_ago(2)), "coop-1");
    accept(example("05-blend.json"), "coop-1");
    accept(example("06-export.json"), "coop-1");
  }

  google::protobuf::Struct geos_report(const std::string& dir) {
    const std::string script = dir + "/geos_report.py";
    std::ofstream(script) << kGeosReport;
    CommandResult r = run_command({"/usr/bin/python3", script, dir});
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n(scripts/setup installs python3-shapely)";
    google::protobuf::Struct report;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
    return report;
  }

  SingleNodeNetwork net_;
};

TEST_F(EudrPackageTest, GeosAcceptsThePackageAndItsPlotsCountriesAndWeightMatchTheChain) {
  const std::string dir = (net_.dir() / "package").string();
  CommandResult made = net_.cli({"eudr", "package", "--export", "E-EU-1", "--out", dir});
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  EXPECT_NE(made.out.find("4 plot(s) of 3 producer(s), 2 commodities"), std::string::npos)
      << made.out;

  const google::protobuf::Struct report = geos_report(dir);
  const auto& f = report.fields();
  EXPECT_LE(f.at("decimals").number_value(), 6);
  std::set<std::string> places;
  for (const auto& v : f.at("features").list_value().values()) {
    const auto& feature = v.struct_value().fields();
    const std::string place = feature.at("place").string_value();
    places.insert(place);
    EXPECT_TRUE(feature.at("valid").bool_value()) << place;
    EXPECT_TRUE(feature.at("closed").bool_value()) << place;
    EXPECT_EQ(feature.at("holes").number_value(), 0) << place;
    // Each producer's country, as the chain has it.
    auto farm_json =
        net_.cli({"farm", "show", place.substr(0, place.find('/')), "--output", "json"});
    google::protobuf::Struct farm;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(farm_json.out, &farm).ok());
    EXPECT_EQ(feature.at("country").string_value(), farm.fields().at("country").string_value())
        << place;
    if (feature.at("type").string_value() == "Point") {
      // Area in hectares, as a number, for Points only.
      EXPECT_EQ(feature.at("area").kind_case(), google::protobuf::Value::kNumberValue) << place;
    } else {
      EXPECT_EQ(feature.at("area").kind_case(), google::protobuf::Value::kNullValue) << place;
    }
  }
  // Every origin plot of the lineage once, and F-D's plot, not shipped, not at all.
  EXPECT_EQ(places, (std::set<std::string>{"F-A/P-1", "F-A/P-2", "F-B/P-1", "F-C/P-1"}));
  EXPECT_EQ(f.at("features").list_value().values_size(), 4);
  // F-C's plot is there as surveyed, not as its first Point.
  // The producers' GeoJSON in the DDS covers the same plots, and the net weight is the export's.
  std::set<std::string> producer_places;
  for (const auto& v : f.at("producerPlaces").list_value().values()) {
    producer_places.insert(v.string_value());
  }
  EXPECT_EQ(producer_places, places);
  EXPECT_DOUBLE_EQ(f.at("netWeightKg").number_value(), 900.0);

  // F-A's Point: 2 ha, its coordinates cut (not rounded) to 6 decimals.
  std::ifstream in(dir + "/geolocation.geojson");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find(R"("Area": 2})"), std::string::npos) << text;
  EXPECT_NE(text.find("[-76.515123, -6.475123]"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("ProducerName": "Rosa Quispe")"), std::string::npos);
  std::ifstream evidence_in(dir + "/evidence.json");
  const std::string evidence((std::istreambuf_iterator<char>(evidence_in)),
                             std::istreambuf_iterator<char>());
  google::protobuf::Struct ev;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(evidence, &ev).ok()) << evidence;
  EXPECT_EQ(ev.fields().at("export").struct_value().fields().at("netWeightG").number_value(),
            900'000);
  EXPECT_GT(ev.fields()
                .at("export")
                .struct_value()
                .fields()
                .at("recordedBy")
                .struct_value()
                .fields()
                .at("height")
                .number_value(),
            0);
  EXPECT_EQ(ev.fields().at("lots").list_value().values_size(), 5);  // the blend and 4 harvests
}

TEST_F(EudrPackageTest, NamesCanBeLeftOutAndAnUnknownExportIsAClearError) {
  const std::string dir = (net_.dir() / "anonymous").string();
  CommandResult made =
      net_.cli({"eudr", "package", "--export", "E-EU-1", "--out", dir, "--no-producer-names"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  for (const char* file : {"/geolocation.geojson", "/dds.json", "/evidence.json"}) {
    std::ifstream in(dir + file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("Rosa Quispe"), std::string::npos) << file;
    EXPECT_EQ(text.find("ProducerName"), std::string::npos) << file;
  }
  CommandResult unknown = net_.cli({"eudr", "package", "--export", "E-404", "--out", dir});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no export E-404"), std::string::npos) << unknown.err;
  CommandResult usage = net_.cli({"eudr", "package", "--out", dir});
  EXPECT_NE(usage.exit_code, 0);
}

// The polygons the EU would refuse, and land already registered, through the real CLI and node:
// each refused with its code, the chain unchanged.
TEST_F(EudrPackageTest, BadPlotsAreRefusedWithTheirCodeAndNothingIsStored) {
  const auto farm = [](const std::string& geometry, uint64_t area = 12232) {
    return R"({"registerFarm": {"farmId": "F-BAD", "plots": [{"plotId": "P-1", "areaM2": )" +
           std::to_string(area) + R"(, "crop": "COFFEE", "geometry": )" + geometry + "}]}}";
  };
  const auto polygon = [](const std::string& ring) {
    return R"({"type": "Polygon", "coordinates": [)" + ring + "]}";
  };
  const std::string square =
      "[[-76.40, -6.40], [-76.399, -6.40], [-76.399, -6.399], "
      "[-76.40, -6.399], [-76.40, -6.40]]";
  const struct {
    const char* what;
    std::string event;
    const char* code;
  } cases[] = {
      {"bow-tie",
       farm(polygon("[[-76.40, -6.40], [-76.399, -6.399], [-76.399, -6.40], [-76.40, -6.399], "
                    "[-76.40, -6.40]]")),
       "BAD_GEOMETRY"},
      {"spike",
       farm(polygon("[[-76.40, -6.40], [-76.399, -6.40], [-76.398, -6.40], [-76.399, -6.40], "
                    "[-76.399, -6.399], [-76.40, -6.40]]")),
       "BAD_GEOMETRY"},
      {"hole",
       farm(R"({"type": "Polygon", "coordinates": [)" + square +
            ", [[-76.3998, -6.3998], [-76.3992, -6.3998], [-76.3992, -6.3992], [-76.3998, "
            "-6.3998]]]}"),
       "BAD_GEOMETRY"},
      {"open ring",
       farm(polygon("[[-76.40, -6.40], [-76.399, -6.40], [-76.399, -6.399], [-76.40, -6.399]]")),
       "BAD_GEOMETRY"},
      {"collinear",
       farm(polygon("[[-76.40, -6.40], [-76.399, -6.40], [-76.398, -6.40], [-76.40, -6.40]]")),
       "BAD_GEOMETRY"},
      {"valid only before truncation",
       farm(polygon("[[-76.40, -6.40], [-76.3990001, -6.40], [-76.3990004, -6.40], "
                    "[-76.399, -6.399], [-76.40, -6.40]]")),
       "BAD_GEOMETRY"},
      {"latitude out of range",
       farm(polygon("[[-76.40, -96.40], [-76.399, -96.40], [-76.399, -96.399], "
                    "[-76.40, -96.40]]")),
       "BAD_GEOMETRY"},
      {"LineString",
       farm(R"({"type": "LineString", "coordinates": [[-76.40, -6.40], [-76.399, -6.40]]})"),
       "BAD_GEOMETRY"},
      {"the same land as F-A's P-1",
       farm(polygon("[[-76.52, -6.48], [-76.519, -6.48], [-76.519, -6.479], [-76.52, -6.479], "
                    "[-76.52, -6.48]]")),
       "PLOT_OVERLAP"},
      {"a plot overlapping F-A's P-1 by 30 %",
       farm(polygon("[[-76.5193, -6.48], [-76.5183, -6.48], [-76.5183, -6.479], "
                    "[-76.5193, -6.479], [-76.5193, -6.48]]")),
       "PLOT_OVERLAP"},
      {"area off by 30 %", farm(polygon(square), 15'900), "AREA_MISMATCH"},
  };
  for (const auto& c : cases) {
    const std::string before = net_.head();
    CommandResult r = net_.submit(c.event, "coop-1");
    EXPECT_EQ(r.exit_code, 1) << c.what << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.code), std::string::npos) << c.what << ": " << r.err;
    EXPECT_EQ(net_.head(), before) << c.what << " changed the chain";
  }
  CommandResult absent = net_.cli({"farm", "show", "F-BAD"});
  EXPECT_NE(absent.err.find("UNKNOWN_FARM"), std::string::npos);
  // And the square itself, where no one farms yet, is accepted.
  accept(farm(polygon(square)), "coop-1");
}

}  // namespace
}  // namespace coopchain::testing
