// harvest: a cooperative records cherries or wet beans picked on a member farm's plot; the
// harvest creates a lot that carries the schemes of the certificates it names.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// area × cap per hectare ÷ 10,000 m² per hectare, floored.
Verdict check_yield(const WorldView& world, const EventContext& ctx, const Harvest& e,
                    const Plot& plot, uint64_t* new_tally) {
  const uint64_t cap_per_ha = plot.crop == Crop::kCoffee ? ctx.params.coffee_yield_cap_g_per_ha
                                                         : ctx.params.cocoa_yield_cap_g_per_ha;
  uint64_t product = 0;
  if (!checked_mul(plot.area_m2, cap_per_ha, &product)) return overflow("the yield cap");
  const uint64_t cap = product / 10'000;
  const int64_t year = utc_year_of(e.harvested_at);
  const uint64_t before = world.yield_tally(e.farm_id, e.plot_id, year);
  if (!checked_add(before, e.mass_g, new_tally)) return overflow("the yield tally");
  if (*new_tally > cap) {
    return Verdict::reject(RuleCode::kYieldImplausible,
                           "plot " + e.plot_id + " of farm " + e.farm_id + " would yield " +
                               std::to_string(*new_tally) + " g in " + std::to_string(year) +
                               ", above its cap of " + std::to_string(cap) + " g");
  }
  return Verdict::accept();
}

// A group certificate (held by the farm's cooperative) covers only the member farms its issuer
// approved, and only while their standing holds.
Verdict check_member_standing(const std::optional<CertificateMemberRecord>& member,
                              const CertificateRecord& cert, const std::string& farm_id, TimeMs t) {
  const MemberStatus status = member ? member->status_at(t) : MemberStatus::kUnspecified;
  if (status == MemberStatus::kApproved) return Verdict::accept();
  if (status == MemberStatus::kSanctioned) {
    return Verdict::reject(RuleCode::kFarmSanctioned,
                           "farm " + farm_id + " is sanctioned under certificate " +
                               cert.certificate_id + " at " + format_rfc3339(t));
  }
  const std::string standing = status == MemberStatus::kUnspecified
                                   ? "it was not a listed member then"
                                   : "it was " + std::string(name_of(status)) + " then";
  return Verdict::reject(RuleCode::kFarmNotInScope,
                         "farm " + farm_id + " is not an approved member of group certificate " +
                             cert.certificate_id + " at " + format_rfc3339(t) + ": " + standing);
}

// A scheme with a conversion period is claimed only from land converted that many months before
// the harvest. The conversion start is the member's own, else the certificate's; neither
// recorded means the certifier took the land as converted.
Verdict check_conversion(const EventContext& ctx, const CertificateRecord& cert,
                         const std::optional<CertificateMemberRecord>& member,
                         const std::string& farm_id, TimeMs harvested_at) {
  const uint32_t months = ctx.params.conversion_months(cert.scheme);
  TimeMs start = member ? member->conversion_start() : 0;
  if (start == 0) start = cert.conversion_start;
  if (months == 0 || start == 0) return Verdict::accept();
  const TimeMs converted = add_utc_months(start, months);
  if (harvested_at >= converted) return Verdict::accept();
  return Verdict::reject(
      RuleCode::kFarmInConversion,
      "farm " + farm_id + " is in conversion to " + std::string(name_of(cert.scheme)) + " until " +
          format_rfc3339(converted) + " (started " + format_rfc3339(start) + ", " +
          std::to_string(months) + " months): its harvest of " + format_rfc3339(harvested_at) +
          " may not claim certificate " + cert.certificate_id);
}

// A member's harvests claiming a group certificate stay within the season's approved estimate
// (none approved: only the global cap). On success the estimate counts the harvest.
Verdict check_yield_estimate(CertificateMemberRecord& member, const Harvest& e) {
  YieldEstimate& estimate = member.estimate(utc_year_of(e.harvested_at), e.form);
  uint64_t harvested = 0;
  if (!checked_add(estimate.harvested_g, e.mass_g, &harvested)) return overflow("the estimate");
  if (estimate.approved_g > 0 && harvested > estimate.approved_g) {
    return Verdict::reject(RuleCode::kYieldEstimateExceeded,
                           "farm " + e.farm_id + " would deliver " + std::to_string(harvested) +
                               " g of " + std::string(name_of(e.form)) + " under certificate " +
                               member.certificate_id + " in " + std::to_string(estimate.season) +
                               ", above its approved estimate of " +
                               std::to_string(estimate.approved_g) + " g (" +
                               std::to_string(estimate.harvested_g) + " g delivered before)");
  }
  estimate.harvested_g = harvested;
  return Verdict::accept();
}

}  // namespace

Verdict apply_harvest(World& world, const EventContext& ctx, const Harvest& e) {
  // Existence and membership.
  FarmRecord farm;
  size_t plot_index = 0;
  if (Verdict v = load_member_plot(world, e.farm_id, e.plot_id, ctx.signer.id, &farm, &plot_index);
      !v.ok()) {
    return v;
  }
  const Plot* plot = &farm.plots[plot_index];
  if (world.has_lot(e.lot_id)) {
    return Verdict::reject(RuleCode::kLotExists, "lot " + e.lot_id + " already exists");
  }
  if (e.crop != plot->crop) {
    return Verdict::reject(RuleCode::kCropMismatch, "plot " + e.plot_id + " grows " +
                                                        std::string(name_of(plot->crop)) +
                                                        ", not " + std::string(name_of(e.crop)));
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.harvested_at, "harvestedAt"); !v.ok()) return v;
  // Mass.
  uint64_t tally = 0;
  if (Verdict v = check_yield(world, ctx, e, *plot, &tally); !v.ok()) return v;
  // Certificates.
  LotRecord lot;
  std::vector<CertificateMemberRecord> tallied;
  for (const auto& id : e.certificate_ids) {
    CertificateRecord cert;
    if (Verdict v = check_certificate_use(world, id, e.crop, e.harvested_at, &cert); !v.ok()) {
      return v;
    }
    if (cert.holder != farm.farm_id && cert.holder != farm.cooperative) {
      return Verdict::reject(RuleCode::kCertHolderMismatch,
                             "certificate " + id + " is held by " + cert.holder +
                                 ", neither farm " + farm.farm_id + " nor its cooperative");
    }
    std::optional<CertificateMemberRecord> member;
    if (cert.holder == farm.cooperative) {
      member = world.certificate_member(cert.certificate_id, farm.farm_id);
      if (Verdict v = check_member_standing(member, cert, farm.farm_id, e.harvested_at); !v.ok()) {
        return v;
      }
    }
    if (Verdict v = check_conversion(ctx, cert, member, farm.farm_id, e.harvested_at); !v.ok()) {
      return v;
    }
    if (member) {
      if (Verdict v = check_yield_estimate(*member, e); !v.ok()) return v;
      tallied.push_back(std::move(*member));
    }
    add_claim(lot, cert.scheme, id);
  }

  lot.lot_id = e.lot_id;
  lot.crop = e.crop;
  lot.form = e.form;
  lot.mass_g = e.mass_g;
  lot.produced_g = e.mass_g;
  lot.owner = ctx.signer.id;
  lot.origins = {LotOrigin{e.farm_id, e.plot_id}};
  lot.created_at = e.harvested_at;
  lot.last_event_at = e.harvested_at;
  std::vector<std::string> checked = e.certificate_ids;
  std::sort(checked.begin(), checked.end());
  add_history(lot, ctx, LotEventKind::kHarvest, e.harvested_at, std::move(checked),
              static_cast<int64_t>(e.mass_g));
  world.put_lot(lot);
  world.add_farm_lot(e.farm_id, e.lot_id);
  world.put_yield_tally(YieldTallyRecord{e.farm_id, e.plot_id, utc_year_of(e.harvested_at), tally});
  for (const auto& member : tallied) world.update_certificate_member(member);
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
