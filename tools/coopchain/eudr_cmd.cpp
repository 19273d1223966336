// coopchain eudr check FILE: checks every geometry of a GeoJSON file (plots collected by other
// tools, before they are registered) against the rules a node applies to a plot, which are what
// the EU Information System accepts.
#include <iostream>

#include "coopchain/core/files.h"
#include "coopchain/rules/geometry.h"
#include "coopchain/wire/event_codec.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

int run_eudr_check(const Args& args) {
  const std::string& path = args.operands[0];
  auto text = read_file(path);
  if (!text.ok()) return fail(text.status().message());
  auto geometries = wire::geometries_from_geojson(*text);
  if (!geometries.ok()) return fail(path + ": " + geometries.status().to_string());
  const bool json = output_format(args) == OutputFormat::kJson;
  size_t refused = 0;
  std::vector<JsonObject> list;
  for (const auto& [name, geometry] : *geometries) {
    Verdict v = check_geometry(geometry, name + ": ");
    if (geometry.type == Geometry::Type::kNone) {
      v = Verdict::reject(RuleCode::kBadGeometry, name + ": no geometry");
    }
    if (!v.ok()) ++refused;
    if (json) {
      list.push_back(JsonObject()
                         .set("name", name)
                         .set("ruleCode", std::string(rule_code_name(v.code)))
                         .set("message", v.message));
    } else {
      std::cout << (v.ok() ? "ok      " : "refused ") << (v.ok() ? name : v.to_string()) << "\n";
    }
  }
  if (json) {
    std::cout << JsonObject()
                     .set("file", path)
                     .set("refused", static_cast<double>(refused))
                     .set("geometries", list)
                     .to_string()
              << "\n";
  }
  if (refused > 0) {
    return fail(std::to_string(refused) + " of " + std::to_string(geometries->size()) +
                " geometries would be refused (BAD_GEOMETRY)");
  }
  if (!json) std::cout << geometries->size() << " geometries, all accepted\n";
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> eudr_verbs() {
  return {{
      .words = {"eudr", "check"},
      .brief = "check a GeoJSON file's geometries as a node and the EU would",
      .operands = {"FILE"},
      .summary =
          "Reads a GeoJSON file (a FeatureCollection, a Feature or a bare geometry) and checks\n"
          "every geometry against the rules a node applies to a plot, which are what the EU\n"
          "Information System accepts: Point, Polygon or MultiPolygon; closed rings of at\n"
          "least 4 positions; no holes; no vertex repeated once truncated to 6 decimals; no\n"
          "spikes, crossing sides or zero area; coordinates in range. Exit 0 when all pass,\n"
          "1 naming each that does not (with BAD_GEOMETRY and the reason).",
      .flags = {output_flag()},
      .run = run_eudr_check,
  }};
}

}  // namespace coopchain::cli
