// registerFarm: a cooperative registers a member farm and its plots.
#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict apply_register_farm(World& world, const EventContext& ctx, const RegisterFarm& e) {
  if (world.has_farm(e.farm_id)) {
    return Verdict::reject(RuleCode::kFarmExists, "farm " + e.farm_id + " is already registered");
  }
  world.put_farm(FarmRecord{e.farm_id, ctx.signer.id, e.farmer_ref, ctx.block.block_time, e.plots});
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
