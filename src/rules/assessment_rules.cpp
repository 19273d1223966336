// assessPlot: an accredited certifier records a deforestation assessment of a plot's current
// geometry against the EUDR cut-off (31 December 2020). The plot's latest assessment decides
// its standing at an EU export (export_rules.cpp).
#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict apply_assess_plot(World& world, const EventContext& ctx, const AssessPlot& e) {
  if (!ctx.signer.accredited) {
    return Verdict::reject(RuleCode::kCertifierNotAccredited,
                           ctx.signer.id + " is not an accredited certifier");
  }
  std::optional<FarmRecord> farm = world.farm(e.farm_id);
  if (!farm) return Verdict::reject(RuleCode::kUnknownFarm, "farm " + e.farm_id + " is unknown");
  if (farm->find_plot(e.plot_id) == nullptr) {
    return Verdict::reject(RuleCode::kUnknownPlot,
                           "farm " + e.farm_id + " has no plot " + e.plot_id);
  }
  if (Verdict v = check_event_time(ctx, e.assessed_at, "assessedAt"); !v.ok()) return v;
  const std::optional<PlotHistoryRecord> history = world.plot_history(e.farm_id, e.plot_id);
  world.add_plot_assessment(
      PlotAssessmentRecord{e.farm_id, e.plot_id, world.plot_assessment_count(e.farm_id, e.plot_id),
                           e.result, e.method, e.reference, e.assessed_at, ctx.signer.id,
                           history ? history->earlier : 0, ctx.block.height, ctx.tx.id});
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
