#include "coopchain/eudr/package.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include "coopchain/core/base64.h"
#include "coopchain/rules/queries.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/geojson_writer.h"

namespace coopchain {
namespace {

using wire::json_string;

// A decimal from an integer count of `unit`ths, trailing zeros dropped: (1234, 1000) is 1.234.
std::string decimal(uint64_t value, uint64_t unit, int digits) {
  std::string fraction = std::to_string(value % unit);
  fraction.insert(0, static_cast<size_t>(digits) - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return std::to_string(value / unit) + (fraction.empty() ? "" : "." + fraction);
}

std::string common_name(std::string_view species) {
  if (species == "Coffea arabica") return "Arabica coffee";
  if (species == "Coffea canephora") return "Robusta coffee";
  if (species == "Theobroma cacao") return "Cacao";
  return std::string(species);
}

std::string_view goods(Crop crop, Form form) {
  switch (form) {
    case Form::kCherry:
      return "Coffee cherries";
    case Form::kParchment:
      return "Parchment coffee, not roasted";
    case Form::kGreen:
      return "Green coffee, not roasted";
    case Form::kWetBeans:
      return "Cocoa beans, fresh";
    case Form::kDryBeans:
      return "Cocoa beans, whole, raw";
    case Form::kCascara:
      return "Coffee husks and skins (cascara)";
    case Form::kCocoaShell:
      return "Cocoa shells, husks, skins";
    case Form::kCocoaPulp:
      return "Cocoa pulp";
    default:
      return crop == Crop::kCocoa ? "Cocoa" : "Coffee";
  }
}

std::string tx_json(const Hash256& tx, const EudrPackageOptions& options) {
  std::optional<uint64_t> height = options.tx_height ? options.tx_height(tx) : std::nullopt;
  return R"({"txId": ")" + to_hex(tx) + R"(", "height": )" +
         (height ? std::to_string(*height) : "null") + "}";
}

struct OriginPlot {
  const FarmRecord* farm = nullptr;
  const Plot* plot = nullptr;
  uint64_t harvested_g = 0;  // by the harvests in the export's lineage
  Hash256 geometry_tx{};     // the registerFarm or updatePlot that set its geometry
  std::optional<PlotAssessmentRecord> assessment;
  std::string place() const { return farm->farm_id + "/" + plot->plot_id; }
};

// One Feature as the EU Information System reads it.
std::string feature(const OriginPlot& o, bool names) {
  std::string props;
  if (names) {
    props += R"("ProducerName": )" +
             json_string(o.farm->farmer_ref.empty() ? o.farm->farm_id : o.farm->farmer_ref) + ", ";
  }
  props += R"("ProducerCountry": )" + json_string(o.farm->country) + R"(, "ProductionPlace": )" +
           json_string(o.place());
  // The EU reads Area (hectares, a number) for Points only.
  if (o.plot->geometry.type == Geometry::Type::kPoint) {
    props += R"(, "Area": )" + decimal(o.plot->area_m2, 10'000, 4);
  }
  return R"({"type": "Feature", "properties": {)" + props + R"(}, "geometry": )" +
         wire::geometry_to_geojson(o.plot->geometry, wire::GeoJsonDecimals::kTruncated) + "}";
}

std::string collection(const std::vector<const OriginPlot*>& plots, bool names,
                       std::string_view separator) {
  std::string out = R"({"type": "FeatureCollection", "features": [)";
  for (size_t i = 0; i < plots.size(); ++i) {
    out += std::string(i == 0 ? "" : ",") + std::string(separator) + feature(*plots[i], names);
  }
  return out + std::string(separator) + "]}";
}

struct Commodity {
  std::string species;
  Crop crop = Crop::kUnspecified;
  std::vector<std::string> farms;  // sorted
  std::vector<const OriginPlot*> plots;
  uint64_t basis_g = 0;  // harvested mass of its plots in the lineage
  uint64_t net_weight_g = 0;
};

Status too_large(const std::string& what) {
  return Status(StatusCode::kFailedPrecondition, what +
                                                     ": split the shipment over several "
                                                     "due diligence statements");
}

}  // namespace

Result<EudrPackage> build_eudr_package(const StateReader& state, std::string_view export_id,
                                       const EudrPackageOptions& options) {
  const WorldView world(state);
  const std::optional<ExportRecord> shipment = world.export_record(export_id);
  if (!shipment) {
    return Status(StatusCode::kNotFound, "no export " + std::string(export_id));
  }

  // The lineage: the shipped lots and every lot they were made from, each once.
  std::vector<LotRecord> lineage;
  std::set<std::string, std::less<>> seen;
  std::deque<std::string> todo;
  for (const auto& item : shipment->lots) {
    if (seen.insert(item.lot_id).second) todo.push_back(item.lot_id);
  }
  while (!todo.empty()) {
    std::optional<LotRecord> lot = world.lot(todo.front());
    todo.pop_front();
    if (!lot) continue;
    for (const auto& input : lot->inputs) {
      if (seen.insert(input.lot_id).second) todo.push_back(input.lot_id);
    }
    lineage.push_back(std::move(*lot));
  }

  // The origin plots, each once, with what their harvests in the lineage weighed.
  std::map<std::string, FarmRecord, std::less<>> farms;
  std::map<std::pair<std::string, std::string>, OriginPlot> origins;
  for (const LotRecord& lot : lineage) {
    for (const LotOrigin& origin : lot.origins) {
      auto [it, added] = origins.try_emplace({origin.farm_id, origin.plot_id});
      if (!added) continue;
      auto farm = farms.find(origin.farm_id);
      if (farm == farms.end()) {
        std::optional<FarmRecord> record = world.farm(origin.farm_id);
        if (!record) {
          return Status(StatusCode::kInternal, "origin farm " + origin.farm_id + " is missing");
        }
        farm = farms.emplace(origin.farm_id, std::move(*record)).first;
      }
      OriginPlot& o = it->second;
      o.farm = &farm->second;
      o.plot = farm->second.find_plot(origin.plot_id);
      if (o.plot == nullptr || o.plot->geometry.type == Geometry::Type::kNone) {
        return Status(StatusCode::kFailedPrecondition,
                      "plot " + origin.plot_id + " of farm " + origin.farm_id +
                          " has no geolocation: record it with updatePlot first");
      }
      const std::vector<PlotRevisionRecord> earlier =
          world.plot_revisions(origin.farm_id, origin.plot_id);
      o.geometry_tx = earlier.empty() ? farm->second.registered_tx : earlier.back().replaced_by;
      o.assessment = world.latest_assessment(origin.farm_id, origin.plot_id);
    }
    // A harvest has one origin and creates the lot.
    if (lot.created_by_step == ProcessingStep::kUnspecified && lot.origins.size() == 1) {
      origins[{lot.origins[0].farm_id, lot.origins[0].plot_id}].harvested_g += lot.produced_g;
    }
  }
  if (farms.size() > options.max_producers) {
    return too_large("export " + std::string(export_id) + " draws on " +
                     std::to_string(farms.size()) + " producers; one DDS takes at most " +
                     std::to_string(options.max_producers) + " (" +
                     std::to_string(farms.size() - options.max_producers) + " too many)");
  }

  // Commodities: one per species, each of at most 1,000 producers.
  std::map<std::string, std::map<std::string, std::vector<const OriginPlot*>>> by_species;
  for (const auto& [key, o] : origins) by_species[o.plot->species][key.first].push_back(&o);
  std::vector<Commodity> commodities;
  for (const auto& [species, by_farm] : by_species) {
    for (const auto& [farm_id, plots] : by_farm) {
      if (commodities.empty() || commodities.back().species != species ||
          commodities.back().farms.size() == kDdsMaxProducersPerCommodity) {
        commodities.push_back(Commodity{species, plots.front()->plot->crop, {}, {}, 0, 0});
      }
      Commodity& c = commodities.back();
      c.farms.push_back(farm_id);
      for (const OriginPlot* p : plots) {
        c.plots.push_back(p);
        c.basis_g += p->harvested_g;
      }
    }
  }
  if (commodities.size() > kDdsMaxCommodities) {
    return too_large("export " + std::string(export_id) + " needs " +
                     std::to_string(commodities.size()) + " commodities; one DDS takes at most " +
                     std::to_string(kDdsMaxCommodities));
  }
  // The net weight is the export's, shared in proportion to the harvests each commodity's plots
  // contributed (integer grams; what rounding leaves goes to the first).
  uint64_t net_g = 0, basis_g = 0;
  for (const auto& item : shipment->lots) net_g += item.mass_g;
  for (const auto& c : commodities) basis_g += c.basis_g;
  uint64_t assigned = 0;
  for (auto& c : commodities) {
    c.net_weight_g =
        basis_g == 0
            ? net_g / commodities.size()
            : static_cast<uint64_t>(static_cast<unsigned __int128>(net_g) * c.basis_g / basis_g);
    assigned += c.net_weight_g;
  }
  if (!commodities.empty()) commodities.front().net_weight_g += net_g - assigned;

  EudrPackage out;
  out.plots = origins.size();
  out.producers = farms.size();
  out.commodities = commodities.size();
  out.net_weight_g = net_g;

  std::vector<const OriginPlot*> all;
  for (const auto& [key, o] : origins) all.push_back(&o);
  out.geolocation_geojson = collection(all, options.producer_names, "\n  ") + "\n";
  if (out.geolocation_geojson.size() > options.max_geolocation_bytes) {
    return too_large(
        "the geolocation of export " + std::string(export_id) + " takes " +
        std::to_string(out.geolocation_geojson.size()) + " bytes; one DDS takes " +
        std::to_string(options.max_geolocation_bytes) + " (" +
        std::to_string(out.geolocation_geojson.size() - options.max_geolocation_bytes) +
        " too many)");
  }

  // The goods as shipped: the forms of the exported lots (already read with the lineage).
  std::set<std::string_view> shipped;
  for (const auto& item : shipment->lots) shipped.insert(item.lot_id);
  std::set<std::string> descriptions;
  for (const LotRecord& lot : lineage) {
    if (shipped.count(lot.lot_id)) descriptions.insert(std::string(goods(lot.crop, lot.form)));
  }
  std::string description;
  for (const auto& d : descriptions) description += (description.empty() ? "" : "; ") + d;
  if (description.size() > 150) description.resize(150);

  std::string dds = "{\n";
  dds += R"(  "_about": "The due diligence statement (EU Information System API v3) fields that )"
         R"(the chain knows, for export )" +
         std::string(export_id) + R"(. The EU importer fills the empty fields and files it.",)" +
         "\n";
  dds +=
      R"(  "operatorRole": "",)"
      "\n"
      R"(  "operator": {"name": "", "eoriNumber": ""},)"
      "\n"
      R"(  "internalReferenceNumber": "",)"
      "\n"
      R"(  "activityType": "IMPORT",)"
      "\n"
      R"(  "countryOfActivity": )" +
      json_string(shipment->destination_country) + ",\n" + R"(  "borderCrossCountry": "",)" + "\n" +
      R"(  "comment": )" +
      json_string("Export " + std::string(export_id) + " by " + shipment->exporter + " on chain " +
                  options.chain_id + " (head height " + std::to_string(options.head_height) +
                  "); every figure is traced in evidence.json.") +
      ",\n" + R"(  "geoLocationConfidential": false,)" + "\n" + R"(  "groupedDeclarations": [],)" +
      "\n" + R"(  "commodities": [)";
  for (size_t k = 0; k < commodities.size(); ++k) {
    const Commodity& c = commodities[k];
    const std::string heading =
        !shipment->hs_code.empty()
            ? shipment->hs_code.substr(0, std::min<size_t>(6, shipment->hs_code.size()))
            : (c.crop == Crop::kCocoa ? "1801" : "0901");
    dds += std::string(k == 0 ? "" : ",") +
           "\n    {\"descriptors\": {\"descriptionOfGoods\": " + json_string(description) +
           ", \"goodsMeasure\": {\"netWeight\": " + decimal(c.net_weight_g, 1000, 3) +
           "}},\n     \"hsHeading\": " + json_string(heading) +
           ",\n     \"speciesInfo\": {\"scientificName\": " + json_string(c.species) +
           ", \"commonName\": " + json_string(common_name(c.species)) + "},\n     \"producers\": [";
    size_t first = 0;
    for (size_t f = 0; f < c.farms.size(); ++f) {
      const FarmRecord& farm = farms.at(c.farms[f]);
      std::vector<const OriginPlot*> own;
      while (first < c.plots.size() && c.plots[first]->farm == &farm)
        own.push_back(c.plots[first++]);
      dds += std::string(f == 0 ? "" : ",") + "\n       {\"country\": " + json_string(farm.country);
      if (options.producer_names) {
        dds +=
            ", \"name\": " + json_string(farm.farmer_ref.empty() ? farm.farm_id : farm.farmer_ref);
      }
      dds += ", \"geometryGeojson\": \"" +
             base64_encode(collection(own, options.producer_names, "")) + "\"}";
    }
    dds += "]}";
  }
  dds += "\n  ]\n}\n";
  out.dds_json = std::move(dds);

  std::string ev = "{\n";
  ev += R"(  "chainId": )" + json_string(options.chain_id) + ",\n";
  ev += R"(  "headHeight": )" + std::to_string(options.head_height) + ",\n";
  ev += R"(  "export": {"exportId": )" + json_string(shipment->export_id) + R"(, "exporter": )" +
        json_string(shipment->exporter) + R"(, "netWeightG": )" + std::to_string(net_g) +
        R"(, "destinationCountry": )" + json_string(shipment->destination_country) +
        R"(, "hsCode": )" + json_string(shipment->hs_code) + R"(, "recordedBy": )" +
        tx_json(shipment->tx_id, options) + "},\n";
  ev += R"(  "lots": [)";
  for (size_t i = 0; i < lineage.size(); ++i) {
    const LotRecord& lot = lineage[i];
    std::vector<LotEventRecord> history =
        lot.earlier_events > 0 ? world.full_history(lot) : lot.history;
    ev += std::string(i == 0 ? "" : ",") + "\n    {\"lotId\": " + json_string(lot.lot_id) +
          ", \"producedG\": " + std::to_string(lot.produced_g) + ", \"createdBy\": " +
          (history.empty() ? "null" : tx_json(history.front().tx_id, options)) + "}";
  }
  ev += "\n  ],\n";
  ev += R"(  "producers": [)";
  size_t i = 0;
  for (const auto& [farm_id, farm] : farms) {
    ev += std::string(i++ == 0 ? "" : ",") + "\n    {\"farmId\": " + json_string(farm_id) +
          ", \"country\": " + json_string(farm.country) +
          (options.producer_names
               ? ", \"name\": " +
                     json_string(farm.farmer_ref.empty() ? farm.farm_id : farm.farmer_ref)
               : std::string()) +
          ", \"registeredBy\": " + tx_json(farm.registered_tx, options) + "}";
  }
  ev += "\n  ],\n";
  ev += R"(  "plots": [)";
  i = 0;
  for (const auto& [key, o] : origins) {
    ev += std::string(i++ == 0 ? "" : ",") +
          "\n    {\"productionPlace\": " + json_string(o.place()) +
          ", \"areaM2\": " + std::to_string(o.plot->area_m2) +
          ", \"species\": " + json_string(o.plot->species) +
          ", \"harvestedG\": " + std::to_string(o.harvested_g) +
          ", \"geometrySetBy\": " + tx_json(o.geometry_tx, options) + ", \"assessment\": ";
    if (o.assessment) {
      ev += "{\"result\": " + json_string(name_of(o.assessment->result)) +
            ", \"assessor\": " + json_string(o.assessment->assessor) +
            ", \"reference\": " + json_string(o.assessment->reference) +
            ", \"recordedBy\": " + tx_json(o.assessment->tx_id, options) + "}";
    } else {
      ev += "null";
    }
    ev += "}";
  }
  ev += "\n  ],\n";
  ev += R"(  "commodities": [)";
  for (size_t k = 0; k < commodities.size(); ++k) {
    const Commodity& c = commodities[k];
    ev += std::string(k == 0 ? "" : ",") + "\n    {\"index\": " + std::to_string(k) +
          ", \"species\": " + json_string(c.species) +
          ", \"producers\": " + std::to_string(c.farms.size()) +
          ", \"harvestedG\": " + std::to_string(c.basis_g) +
          ", \"netWeightG\": " + std::to_string(c.net_weight_g) + "}";
  }
  ev += "\n  ],\n";
  ev +=
      "  \"netWeightRule\": \"the export's net weight, shared between commodities in "
      "proportion to the harvests their plots contributed to the lineage (whole grams; the "
      "rounding remainder goes to the first)\"\n}\n";
  out.evidence_json = std::move(ev);
  return out;
}

}  // namespace coopchain
