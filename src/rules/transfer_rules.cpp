// transfer: the owner hands a whole lot to another cooperative, processor or exporter. Claims
// that cannot travel with it (not usable, or the recipient does not hold the scheme) are dropped.
// receiveLot: the recipient weighs in what arrived; a shortfall is a loss, never a gain.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "coopchain/rules/queries.h"
#include "event_rules.h"

namespace coopchain::rules_internal {

Verdict apply_transfer(World& world, const EventContext& ctx, const Transfer& e) {
  // Existence and ownership.
  std::optional<LotRecord> lot = world.lot(e.lot_id);
  if (!lot) return Verdict::reject(RuleCode::kUnknownLot, "lot " + e.lot_id + " is unknown");
  if (lot->owner != ctx.signer.id) {
    return Verdict::reject(RuleCode::kNotOwner, "lot " + e.lot_id + " is owned by " + lot->owner +
                                                    ", not " + ctx.signer.id);
  }
  std::optional<OrgRecord> to = world.org(e.to_organization);
  if (!to) {
    return Verdict::reject(RuleCode::kUnknownOrganization,
                           "organization " + e.to_organization + " is unknown");
  }
  if (to->kind != OrgKind::kCooperative && to->kind != OrgKind::kProcessor &&
      to->kind != OrgKind::kExporter) {
    return Verdict::reject(RuleCode::kRoleNotAllowed, std::string(name_of(to->kind)) + " " +
                                                          to->id + " may not take custody of lots");
  }
  if (to->id == lot->owner) {
    return Verdict::reject(RuleCode::kMalformed,
                           "lot " + e.lot_id + " already belongs to " + to->id);
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.transferred_at, "transferredAt"); !v.ok()) return v;
  if (e.transferred_at < lot->last_event_at) {
    return Verdict::reject(RuleCode::kTimeOrder, "transferredAt is before the last event on lot " +
                                                     e.lot_id + " at " +
                                                     format_rfc3339(lot->last_event_at));
  }
  // Mass: the whole lot, exactly.
  if (e.mass_g > lot->mass_g) {
    return Verdict::reject(RuleCode::kMassBalanceExceeded,
                           "lot " + e.lot_id + " holds " + std::to_string(lot->mass_g) +
                               " g, not " + std::to_string(e.mass_g) + " g");
  }
  if (e.mass_g < lot->mass_g) {
    return Verdict::reject(RuleCode::kMassMismatch,
                           "a transfer hands over the whole lot: " + e.lot_id + " holds " +
                               std::to_string(lot->mass_g) +
                               " g (split it first with a SPLIT processing step)");
  }
  // A lot on hold stays where it is until its certifier releases it (or fails it).
  if (!lot->holds.empty()) {
    const LotHold& held = lot->holds.front();
    return Verdict::reject(RuleCode::kLotOnHold,
                           "lot " + e.lot_id + " is on hold for " +
                               std::string(name_of(held.scheme)) + " by " + held.by + " since " +
                               format_rfc3339(held.held_at) + ": it may not change hands until " +
                               held.by + " releases it");
  }
  // Claims travel only where they hold.
  std::vector<LotClaim> kept;
  std::vector<std::string> checked;
  std::vector<DroppedClaim> dropped;
  for (const auto& claim : lot->claims) {
    Verdict v = claim_holds(world.reader(), *lot, claim.scheme, e.transferred_at);
    std::string held_by;
    if (v.ok()) {
      v = holder_holds_scheme(world.reader(), to->id, claim.scheme, lot->crop, e.transferred_at,
                              &held_by);
    }
    if (v.ok()) {
      insert_sorted(checked, held_by);
      for (const auto& id : claim.certificate_ids) insert_sorted(checked, id);
      kept.push_back(claim);
    } else {
      dropped.push_back({claim.scheme, v.code});
    }
  }
  lot->claims = std::move(kept);
  lot->owner = to->id;
  lot->in_transit_g = lot->mass_g;
  lot->last_event_at = e.transferred_at;
  LotEventRecord& entry =
      add_history(*lot, ctx, LotEventKind::kTransfer, e.transferred_at, std::move(checked), 0);
  entry.organization = to->id;
  entry.dropped_claims = std::move(dropped);
  world.put_lot(*lot);
  return Verdict::accept();
}

Verdict apply_receive_lot(World& world, const EventContext& ctx, const ReceiveLot& e) {
  // Existence and ownership.
  std::optional<LotRecord> lot = world.lot(e.lot_id);
  if (!lot) return Verdict::reject(RuleCode::kUnknownLot, "lot " + e.lot_id + " is unknown");
  if (lot->owner != ctx.signer.id) {
    return Verdict::reject(RuleCode::kNotOwner, "lot " + e.lot_id + " is owned by " + lot->owner +
                                                    ", not " + ctx.signer.id);
  }
  if (lot->in_transit_g == 0) {
    return Verdict::reject(RuleCode::kReceptionMismatch,
                           "lot " + e.lot_id +
                               " is not in transit: it was weighed in or used since its last "
                               "transfer, or never transferred");
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.received_at, "receivedAt"); !v.ok()) return v;
  if (e.received_at < lot->last_event_at) {
    return Verdict::reject(RuleCode::kTimeOrder, "receivedAt is before the last event on lot " +
                                                     e.lot_id + " at " +
                                                     format_rfc3339(lot->last_event_at));
  }
  // Mass: up to the tolerance above what was sent; a loss says why.
  const uint64_t sent = lot->in_transit_g;
  uint64_t allowance = 0;
  if (!checked_mul(sent, ctx.params.reception_tolerance_bp, &allowance)) {
    return overflow("the reception tolerance");
  }
  uint64_t most = 0;
  if (!checked_add(sent, allowance / 10'000, &most)) return overflow("the reception tolerance");
  if (e.mass_g > most) {
    return Verdict::reject(RuleCode::kReceptionMismatch,
                           "lot " + e.lot_id + " was sent with " + std::to_string(sent) + " g; " +
                               std::to_string(e.mass_g) + " g is more than the " +
                               std::to_string(most) + " g the tolerance of " +
                               std::to_string(ctx.params.reception_tolerance_bp) +
                               " basis points allows");
  }
  const uint64_t loss = e.mass_g < sent ? std::min(sent - e.mass_g, lot->mass_g) : 0;
  if (loss > 0 && e.reason.empty()) {
    return Verdict::reject(RuleCode::kReceptionMismatch,
                           "lot " + e.lot_id + " arrived " + std::to_string(loss) +
                               " g short of the " + std::to_string(sent) +
                               " g sent: a loss needs a reason");
  }

  // Quality.
  if (Verdict v = check_quality(e.quality, lot->crop); !v.ok()) return v;

  lot->mass_g -= loss;
  lot->in_transit_g = 0;
  if (!e.quality.empty()) lot->quality = e.quality;
  lot->last_event_at = e.received_at;
  LotEventRecord& entry = add_history(*lot, ctx, LotEventKind::kReceive, e.received_at, {},
                                      -static_cast<int64_t>(loss));
  entry.findings = e.reason;
  entry.received_g = e.mass_g;
  entry.quality = e.quality;
  world.put_lot(*lot);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
