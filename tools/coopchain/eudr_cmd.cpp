// coopchain eudr check FILE: checks every geometry of a GeoJSON file (plots collected by other
// tools, before they are registered) against the rules a node applies to a plot, which are what
// the EU Information System accepts.
#include <algorithm>
#include <iostream>
#include <tuple>

#include <chrono>
#include <filesystem>

#include "client.h"
#include "coopchain/core/files.h"
#include "coopchain/rules/geometry.h"
#include "coopchain/state/plot_index.h"
#include "coopchain/wire/event_codec.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

struct FeatureOverlap {
  size_t a = 0, b = 0;  // indexes into the file's geometries, a < b
  PlotOverlap overlap;
  bool same_farm = false;
};

// The farm a feature's ProductionPlace ("F-001/P-1") names; empty when it names none, and then
// the feature counts as a farm of its own.
std::string farm_of(const wire::NamedGeometry& g) {
  const size_t slash = g.place.find('/');
  return slash == std::string::npos ? std::string() : g.place.substr(0, slash);
}

bool has_area(const Geometry& g) {
  return g.type == Geometry::Type::kPolygon || g.type == Geometry::Type::kMultiPolygon;
}

// Every pair of accepted polygon features that share land, measured as PLOT_OVERLAP measures.
// Sorted by longitude first, so only features whose boxes could meet are compared.
std::vector<FeatureOverlap> overlaps_among(const std::vector<wire::NamedGeometry>& geometries) {
  std::vector<std::pair<PlotBox, size_t>> boxes;
  for (size_t i = 0; i < geometries.size(); ++i) {
    const Geometry& g = geometries[i].geometry;
    if (has_area(g) && check_geometry(g, "").ok()) boxes.emplace_back(box_of(g), i);
  }
  std::sort(boxes.begin(), boxes.end(),
            [](const auto& l, const auto& r) { return l.first.min_lon_e7 < r.first.min_lon_e7; });
  std::vector<FeatureOverlap> out;
  for (size_t i = 0; i < boxes.size(); ++i) {
    for (size_t j = i + 1;
         j < boxes.size() && boxes[j].first.min_lon_e7 <= boxes[i].first.max_lon_e7; ++j) {
      if (!boxes[i].first.intersects(boxes[j].first)) continue;
      const size_t a = std::min(boxes[i].second, boxes[j].second);
      const size_t b = std::max(boxes[i].second, boxes[j].second);
      auto overlap = measure_overlap(geometries[a].geometry, geometries[b].geometry);
      if (!overlap || overlap->shared == 0) continue;
      const std::string farm_a = farm_of(geometries[a]), farm_b = farm_of(geometries[b]);
      out.push_back({a, b, *overlap, !farm_a.empty() && farm_a == farm_b});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& l, const auto& r) { return std::tie(l.a, l.b) < std::tie(r.a, r.b); });
  return out;
}

int run_eudr_check(const Args& args) {
  const std::string& path = args.operands[0];
  auto text = read_file(path);
  if (!text.ok()) return fail(text.status().message());
  auto geometries = wire::geometries_from_geojson(*text);
  if (!geometries.ok()) return fail(path + ": " + geometries.status().to_string());
  const bool json = output_format(args) == OutputFormat::kJson;
  size_t refused = 0;
  std::vector<JsonObject> list;
  for (const auto& [name, geometry, place] : *geometries) {
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
  const std::vector<FeatureOverlap> overlaps = overlaps_among(*geometries);
  size_t too_much = 0;
  std::vector<JsonObject> overlap_list;
  for (const FeatureOverlap& o : overlaps) {
    const bool refused_pair = o.overlap.too_much() && !o.same_farm;
    too_much += refused_pair ? 1 : 0;
    const std::string code = refused_pair ? "PLOT_OVERLAP" : "OK";
    if (json) {
      overlap_list.push_back(JsonObject()
                                 .set("a", (*geometries)[o.a].name)
                                 .set("b", (*geometries)[o.b].name)
                                 .set("percent", o.overlap.percent())
                                 .set("ruleCode", code));
    } else {
      std::cout << (refused_pair ? "refused " : "overlap ") << code << " "
                << (*geometries)[o.a].name << " and " << (*geometries)[o.b].name << " share "
                << o.overlap.percent() << " of the smaller"
                << (o.same_farm ? " (one farm's plots may overlap)" : "") << "\n";
    }
  }
  if (json) {
    std::cout << JsonObject()
                     .set("file", path)
                     .set("refused", static_cast<double>(refused))
                     .set("geometries", list)
                     .set("overlaps", overlap_list)
                     .to_string()
              << "\n";
  }
  if (refused > 0 || too_much > 0) {
    std::string why;
    if (refused > 0) {
      why = std::to_string(refused) + " of " + std::to_string(geometries->size()) +
            " geometries would be refused (BAD_GEOMETRY)";
    }
    if (too_much > 0) {
      why += (why.empty() ? "" : "; ") + std::to_string(too_much) +
             " pair(s) of plots of different farms overlap by more than 5 % (PLOT_OVERLAP)";
    }
    return fail(why);
  }
  if (!json) std::cout << geometries->size() << " geometries, all accepted\n";
  return kExitOk;
}

int run_eudr_package(const Args& args) {
  NodeClient client(args.value("node"));
  v1::GetEudrPackageRequest request;
  request.set_export_id(args.value("export"));
  request.set_no_producer_names(args.has("no-producer-names"));
  v1::EudrPackage package;
  auto context = make_context(std::chrono::seconds(120));
  grpc::Status s = client.trace().GetEudrPackage(context.get(), request, &package);
  if (!s.ok()) return fail_rpc(client, s);
  const std::string dir = args.value("out");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail("cannot create " + dir + ": " + error.message());
  const std::pair<const char*, const std::string*> files[] = {
      {"geolocation.geojson", &package.geolocation_geojson()},
      {"dds.json", &package.dds_json()},
      {"evidence.json", &package.evidence_json()}};
  for (const auto& [name, content] : files) {
    const std::string path = dir + "/" + name;
    if (Status st = write_file(path, *content, 0644); !st.ok()) return fail(st.message());
  }
  if (output_format(args) == OutputFormat::kJson) {
    std::cout << JsonObject()
                     .set("exportId", package.export_id())
                     .set("dir", dir)
                     .set("plots", static_cast<double>(package.plots()))
                     .set("producers", static_cast<double>(package.producers()))
                     .set("commodities", static_cast<double>(package.commodities()))
                     .set("netWeightG", static_cast<double>(package.net_weight_g()))
                     .set("geolocationBytes",
                          static_cast<double>(package.geolocation_geojson().size()))
                     .to_string()
              << "\n";
  } else {
    std::cout << "export " << package.export_id() << ": " << package.plots() << " plot(s) of "
              << package.producers() << " producer(s), " << package.commodities() << " commodit"
              << (package.commodities() == 1 ? "y" : "ies") << ", "
              << format_mass(package.net_weight_g()) << " net\n"
              << "wrote " << dir << "/geolocation.geojson (" << package.geolocation_geojson().size()
              << " bytes), " << dir << "/dds.json, " << dir << "/evidence.json\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> eudr_verbs() {
  return {
      {
          .words = {"eudr", "check"},
          .brief = "check a GeoJSON file's geometries as a node and the EU would",
          .operands = {"FILE"},
          .summary =
              "Reads a GeoJSON file (a FeatureCollection, a Feature or a bare geometry) and "
              "checks\n"
              "every geometry against the rules a node applies to a plot, which are what the EU\n"
              "Information System accepts: Point, Polygon or MultiPolygon; closed rings of at\n"
              "least 4 positions; no holes; no vertex repeated once truncated to 6 decimals; no\n"
              "spikes, crossing sides or zero area; coordinates in range. Then every two plots\n"
              "that share land are listed with the share of the smaller; more than 5 % between\n"
              "plots of different farms (by the farm id before '/' in ProductionPlace; a\n"
              "feature without one counts as its own farm) is PLOT_OVERLAP. Exit 0 when all\n"
              "pass, 1 naming each that does not (with its rule code and the reason).",
          .flags = {output_flag()},
          .run = run_eudr_check,
      },
      {
          .words = {"eudr", "package"},
          .brief = "write an export's EUDR due-diligence package (GeoJSON, DDS fields, evidence)",
          .operands = {},
          .summary =
              "Asks the node for the due-diligence package of an export and writes three files to\n"
              "DIR: geolocation.geojson (one Feature per origin plot of the export's lineage, "
              "with\n"
              "ProducerName, ProducerCountry, ProductionPlace and, for Points, Area in hectares;\n"
              "coordinates truncated to 6 decimals as the EU stores them), dds.json (the due\n"
              "diligence statement fields the chain knows; the EU importer fills the empty ones)\n"
              "and evidence.json (the transaction and height behind every figure). An export\n"
              "beyond one DDS's limits (10,000 producers, 25 MB of geolocation) is refused saying\n"
              "by how much. docs/eudr.md walks through it.",
          .flags = {node_flag(),
                    output_flag(),
                    {.name = "export",
                     .value_name = "EXPORT_ID",
                     .help = "the export",
                     .required = true},
                    {.name = "out",
                     .value_name = "DIR",
                     .help = "where to write the three files (created if missing)",
                     .required = true},
                    {.name = "no-producer-names",
                     .help = "leave ProducerName and the producers' names out"}},
          .run = run_eudr_package,
      }};
}

}  // namespace coopchain::cli
