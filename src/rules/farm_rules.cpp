// registerFarm: a cooperative registers a member farm and its plots; updatePlot: it corrects a
// plot's geometry and area, keeping what they were.
#include "coopchain/core/country.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// The species the EU's due diligence statement names when the event leaves it out.
std::string_view default_species(Crop crop) {
  return crop == Crop::kCocoa ? "Theobroma cacao" : "Coffea arabica";
}

}  // namespace

Verdict apply_register_farm(World& world, const EventContext& ctx, const RegisterFarm& e) {
  const std::string& country = e.country.empty() ? ctx.params.default_country : e.country;
  if (country.empty()) {
    return Verdict::reject(RuleCode::kBadCountry,
                           "farm " + e.farm_id +
                               " names no country, and this chain has no defaultCountry: give "
                               "\"country\" (ISO 3166-1 alpha-2, e.g. \"PE\")");
  }
  if (!is_iso_country(country)) {
    return Verdict::reject(RuleCode::kBadCountry, "country \"" + country +
                                                      "\" is not an ISO 3166-1 alpha-2 code "
                                                      "(two capital letters, e.g. \"PE\", \"CO\")");
  }
  if (world.has_farm(e.farm_id)) {
    return Verdict::reject(RuleCode::kFarmExists, "farm " + e.farm_id + " is already registered");
  }
  for (const Plot& p : e.plots) {
    if (Verdict v = check_plot_overlap(world, e.farm_id, p); !v.ok()) return v;
  }
  FarmRecord farm{e.farm_id, ctx.signer.id, e.farmer_ref,     ctx.block.block_time,
                  country,   e.plots,       ctx.block.height, ctx.tx.id};
  for (Plot& p : farm.plots) {
    if (p.species.empty()) p.species = default_species(p.crop);
    index_plot_of(world, e.farm_id, p);
  }
  world.put_farm(farm);
  return Verdict::accept();
}

Verdict apply_update_plot(World& world, const EventContext& ctx, const UpdatePlot& e) {
  FarmRecord farm;
  size_t plot_index = 0;
  if (Verdict v = load_member_plot(world, e.farm_id, e.plot_id, ctx.signer.id, &farm, &plot_index);
      !v.ok()) {
    return v;
  }
  Plot* plot = &farm.plots[plot_index];
  Plot updated = *plot;
  updated.area_m2 = e.area_m2;
  updated.geometry = e.geometry;
  if (Verdict v = check_plot_overlap(world, e.farm_id, updated); !v.ok()) return v;

  PlotHistoryRecord history =
      world.plot_history(e.farm_id, e.plot_id)
          .value_or(PlotHistoryRecord{e.farm_id, e.plot_id, farm.registered_height, 0});
  world.put_plot_revision(PlotRevisionRecord{e.farm_id, e.plot_id, history.earlier, plot->area_m2,
                                             plot->geometry, history.since_height, ctx.block.height,
                                             ctx.tx.id});
  history.earlier += 1;
  history.since_height = ctx.block.height;
  world.put_plot_history(history);
  unindex_plot_of(world, e.farm_id, *plot);
  index_plot_of(world, e.farm_id, updated);
  *plot = std::move(updated);
  world.put_farm(farm);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
