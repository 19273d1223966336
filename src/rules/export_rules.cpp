// export: an exporter or cooperative ships lots it owns. Every claimed scheme must hold for
// every lot and for the exporter at shippedAt; a shipment to the EU needs every origin plot
// geolocated (EUDR), with a Polygon or MultiPolygon for plots of more than
// eudr_polygon_min_area_m2, none whose latest deforestation assessment is NOT_FREE, and, on a
// chain with eudr_require_assessment, each assessed DEFORESTATION_FREE for its current geometry.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// NOT_FREE always refuses (a later assessment may clear the plot); a required assessment must
// be the plot's latest, DEFORESTATION_FREE, and of the geometry the plot has now.
Verdict check_assessment(const WorldView& world, const RuleParams& params, const LotOrigin& origin,
                         const std::string& where) {
  const std::optional<PlotAssessmentRecord> latest =
      world.latest_assessment(origin.farm_id, origin.plot_id);
  if (latest && latest->result == Deforestation::kNotFree) {
    return Verdict::reject(RuleCode::kEudrDeforestation,
                           where +
                               " was assessed NOT_FREE of deforestation after 31 December "
                               "2020 by " +
                               latest->assessor + " (" + latest->reference + ")");
  }
  if (!params.eudr_require_assessment) return Verdict::accept();
  if (!latest) {
    return Verdict::reject(RuleCode::kEudrAssessmentMissing,
                           where +
                               " has no deforestation assessment; this chain requires one "
                               "(DEFORESTATION_FREE) for every EU export");
  }
  if (latest->result != Deforestation::kFree) {
    return Verdict::reject(RuleCode::kEudrAssessmentMissing,
                           where + "'s latest assessment is " +
                               std::string(name_of(latest->result)) + ", not DEFORESTATION_FREE");
  }
  const std::optional<PlotHistoryRecord> history =
      world.plot_history(origin.farm_id, origin.plot_id);
  if (latest->geometry_revision != (history ? history->earlier : 0)) {
    return Verdict::reject(RuleCode::kEudrAssessmentMissing,
                           where + " was assessed before its geometry changed at height " +
                               std::to_string(history->since_height) +
                               ": the new geometry needs an assessment of its own");
  }
  return Verdict::accept();
}

Verdict check_eudr(const WorldView& world, const RuleParams& params,
                   const std::vector<LotRecord>& lots) {
  for (const auto& lot : lots) {
    for (const auto& origin : lot.origins) {
      std::optional<FarmRecord> farm = world.farm(origin.farm_id);
      const Plot* plot = farm ? farm->find_plot(origin.plot_id) : nullptr;
      const std::string where =
          "lot " + lot.lot_id + ": plot " + origin.plot_id + " of farm " + origin.farm_id;
      if (plot == nullptr || plot->geometry.type == Geometry::Type::kNone) {
        return Verdict::reject(RuleCode::kEudrGeolocationMissing, where + " has no geolocation");
      }
      // The EU's rule: a Point may stand for a plot of at most 4 ha; a larger one needs polygons.
      if (plot->area_m2 > params.eudr_polygon_min_area_m2 &&
          plot->geometry.type == Geometry::Type::kPoint) {
        return Verdict::reject(RuleCode::kEudrGeolocationMissing,
                               where + " has " + std::to_string(plot->area_m2) +
                                   " m² and needs a Polygon, not a Point");
      }
      if (Verdict v = check_assessment(world, params, origin, where); !v.ok()) return v;
    }
  }
  return Verdict::accept();
}

// The HS heading (first four digits) each crop's goods are declared under: coffee 0901; cocoa
// beans, shells, paste, butter, powder and chocolate 1801 to 1806.
bool heading_fits(std::string_view heading, Crop crop) {
  if (crop == Crop::kCoffee) return heading == "0901";
  if (crop == Crop::kCocoa) return heading >= "1801" && heading <= "1806";
  return false;
}

// An HS code, when given, is 4 to 10 digits whose heading fits the crop of every lot shipped.
Verdict check_hs_code(const Export& e, const std::vector<LotRecord>& lots) {
  if (e.hs_code.empty()) return Verdict::accept();
  const bool digits =
      std::all_of(e.hs_code.begin(), e.hs_code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || e.hs_code.size() < 4 || e.hs_code.size() > 10) {
    return Verdict::reject(RuleCode::kHsCodeMismatch,
                           "hsCode " + e.hs_code + " is not an HS code of 4 to 10 digits");
  }
  const std::string_view heading = std::string_view(e.hs_code).substr(0, 4);
  for (const auto& lot : lots) {
    if (!heading_fits(heading, lot.crop)) {
      return Verdict::reject(RuleCode::kHsCodeMismatch,
                             "hsCode " + e.hs_code + " does not fit lot " + lot.lot_id + " (" +
                                 std::string(name_of(lot.crop)) +
                                 "): coffee is 0901, cocoa 1801 to 1806");
    }
  }
  return Verdict::accept();
}

}  // namespace

Verdict apply_export(World& world, const EventContext& ctx, const Export& e) {
  // Existence and ownership.
  if (world.has_export(e.export_id)) {
    return Verdict::reject(RuleCode::kExportExists, "export " + e.export_id + " already exists");
  }
  std::vector<LotRecord> lots;
  if (Verdict v = load_owned_lots(world, e.lots, ctx.signer.id, &lots); !v.ok()) return v;
  if (Verdict v = check_hs_code(e, lots); !v.ok()) return v;
  // Time.
  if (Verdict v = check_event_time(ctx, e.shipped_at, "shippedAt"); !v.ok()) return v;
  for (const auto& lot : lots) {
    if (e.shipped_at < lot.last_event_at) {
      return Verdict::reject(RuleCode::kTimeOrder, "shippedAt is before the last event on lot " +
                                                       lot.lot_id + " at " +
                                                       format_rfc3339(lot.last_event_at));
    }
  }
  // Mass.
  for (size_t i = 0; i < lots.size(); ++i) {
    if (e.lots[i].mass_g > lots[i].mass_g) {
      return Verdict::reject(RuleCode::kMassBalanceExceeded,
                             "lot " + lots[i].lot_id + " holds " + std::to_string(lots[i].mass_g) +
                                 " g, the export ships " + std::to_string(e.lots[i].mass_g) + " g");
    }
  }
  // Claims.
  std::vector<const LotRecord*> lot_ptrs;
  for (const auto& lot : lots) lot_ptrs.push_back(&lot);
  std::vector<std::string> checked;
  if (Verdict v = check_claims(world, lot_ptrs, e.claims, ctx.signer.id, e.shipped_at,
                               MissingClaim::kNotCertified, &checked);
      !v.ok()) {
    return v;
  }
  // EUDR.
  const auto& eu = ctx.params.eu_countries;
  if (std::find(eu.begin(), eu.end(), e.destination_country) != eu.end()) {
    if (Verdict v = check_eudr(world, ctx.params, lots); !v.ok()) return v;
  }

  // Effects.
  for (size_t i = 0; i < lots.size(); ++i) {
    LotRecord& lot = lots[i];
    const uint64_t mass = e.lots[i].mass_g;
    lot.mass_g -= mass;
    lot.in_transit_g = 0;  // its owner shipped it: it arrived
    lot.last_event_at = e.shipped_at;
    add_history(lot, ctx, LotEventKind::kExport, e.shipped_at, checked, -static_cast<int64_t>(mass))
        .export_id = e.export_id;
    world.put_lot(lot);
  }
  world.put_export(ExportRecord{e.export_id, ctx.signer.id, e.lots, e.destination_country,
                                e.destination_port, e.buyer, e.hs_code, e.shipped_at, e.claims,
                                ctx.tx.id});
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
