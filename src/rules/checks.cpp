// Checks shared by several event rules: the time window, the use of a named certificate, the
// claims of processing and export, checked arithmetic and small helpers.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "coopchain/rules/queries.h"
#include "event_rules.h"

namespace coopchain::rules_internal {

bool checked_add(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

bool checked_mul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

Verdict overflow(std::string_view what) {
  return Verdict::reject(RuleCode::kMalformed, std::string(what) + " overflows");
}

void insert_sorted(std::vector<std::string>& v, std::string_view s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it == v.end() || *it != s) v.insert(it, std::string(s));
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

void add_claim(LotRecord& lot, Scheme scheme, std::string_view certificate_id) {
  auto at = lot.claims.begin();
  while (at != lot.claims.end() && at->scheme < scheme) ++at;
  if (at == lot.claims.end() || at->scheme != scheme)
    at = lot.claims.insert(at, LotClaim{scheme, {}});
  insert_sorted(at->certificate_ids, certificate_id);
}

LotEventRecord& add_history(LotRecord& lot, const EventContext& ctx, LotEventKind kind, TimeMs at,
                            std::vector<std::string> certificates_checked, int64_t mass_delta_g) {
  LotEventRecord& entry = lot.history.emplace_back();
  entry.kind = kind;
  entry.tx_id = ctx.tx.id;
  entry.at = at;
  entry.actor = ctx.signer.id;
  entry.certificates_checked = std::move(certificates_checked);
  entry.mass_delta_g = mass_delta_g;
  return entry;
}

Verdict load_member_plot(const WorldView& world, std::string_view farm_id, std::string_view plot_id,
                         std::string_view cooperative, FarmRecord* farm, size_t* plot_index) {
  std::optional<FarmRecord> found = world.farm(farm_id);
  if (!found) {
    return Verdict::reject(RuleCode::kUnknownFarm, "farm " + std::string(farm_id) + " is unknown");
  }
  const auto plot = std::find_if(found->plots.begin(), found->plots.end(),
                                 [&](const Plot& p) { return p.plot_id == plot_id; });
  if (plot == found->plots.end()) {
    return Verdict::reject(RuleCode::kUnknownPlot,
                           "farm " + std::string(farm_id) + " has no plot " + std::string(plot_id));
  }
  if (found->cooperative != cooperative) {
    return Verdict::reject(RuleCode::kNotAMember, "farm " + std::string(farm_id) +
                                                      " is a member of " + found->cooperative +
                                                      ", not of " + std::string(cooperative));
  }
  *plot_index = static_cast<size_t>(plot - found->plots.begin());
  *farm = std::move(*found);
  return Verdict::accept();
}

Verdict load_owned_lots(const WorldView& world, const std::vector<LotAmount>& items,
                        std::string_view owner, std::vector<LotRecord>* lots) {
  lots->reserve(items.size());
  for (const auto& item : items) {
    std::optional<LotRecord> lot = world.lot(item.lot_id);
    if (!lot) return Verdict::reject(RuleCode::kUnknownLot, "lot " + item.lot_id + " is unknown");
    if (lot->owner != owner) {
      return Verdict::reject(RuleCode::kNotOwner, "lot " + item.lot_id + " is owned by " +
                                                      lot->owner + ", not " + std::string(owner));
    }
    lots->push_back(std::move(*lot));
  }
  return Verdict::accept();
}

Verdict check_not_future(const EventContext& ctx, TimeMs t, std::string_view field) {
  int64_t latest = 0;
  if (__builtin_add_overflow(ctx.block.block_time, ctx.params.future_skew_ms, &latest)) {
    return overflow("the time window");
  }
  if (t > latest) {
    return Verdict::reject(RuleCode::kFutureTimestamp,
                           std::string(field) + " " + format_rfc3339(t) +
                               " is later than the block time " +
                               format_rfc3339(ctx.block.block_time) + " plus the allowed skew");
  }
  return Verdict::accept();
}

Verdict check_event_time(const EventContext& ctx, TimeMs t, std::string_view field) {
  if (Verdict v = check_not_future(ctx, t, field); !v.ok()) return v;
  int64_t earliest = 0;
  if (__builtin_sub_overflow(ctx.block.block_time, ctx.params.lateness_ms, &earliest)) {
    return overflow("the time window");
  }
  if (t < earliest) {
    return Verdict::reject(RuleCode::kTooLate,
                           std::string(field) + " " + format_rfc3339(t) +
                               " is older than the allowed lateness before the block time " +
                               format_rfc3339(ctx.block.block_time));
  }
  return Verdict::accept();
}

Verdict check_quality(const Quality& q, Crop crop) {
  const auto out_of_range = [](const std::string& what) {
    return Verdict::reject(RuleCode::kQualityOutOfRange, what);
  };
  const auto above = [&](const char* field, uint32_t value, uint32_t most) {
    return out_of_range("quality." + std::string(field) + " " + std::to_string(value) +
                        " is above " + std::to_string(most));
  };
  if (q.moisture_per_mille > 800) return above("moisturePerMille", q.moisture_per_mille, 800);
  const CutTest& cut = q.cut_test;
  if (crop == Crop::kCocoa) {
    if (q.cup_score_tenths != 0 || q.defects_primary != 0 || q.defects_secondary != 0 ||
        q.screen_size != 0) {
      return out_of_range("a cocoa lot has no cup score, SCA defects or screen size");
    }
    const uint64_t cut_total = uint64_t{cut.well_fermented_per_mille} + cut.slaty_per_mille +
                               cut.mouldy_per_mille + cut.insect_damaged_per_mille;
    if (cut_total > 1000) {
      return out_of_range("the cut test's shares add up to " + std::to_string(cut_total) +
                          " per mille, more than all the beans cut");
    }
    return Verdict::accept();
  }
  if (cut != CutTest{}) return out_of_range("a coffee lot has no cocoa cut test");
  if (q.cup_score_tenths > 1000) return above("cupScoreTenths", q.cup_score_tenths, 1000);
  // A 350 g sample of green coffee holds some 2,000 beans.
  if (q.defects_primary > 2000) return above("defectsPrimary", q.defects_primary, 2000);
  if (q.defects_secondary > 2000) return above("defectsSecondary", q.defects_secondary, 2000);
  if (q.screen_size != 0 && (q.screen_size < 8 || q.screen_size > 20)) {
    return out_of_range("quality.screenSize " + std::to_string(q.screen_size) +
                        " is not a coffee screen (8 to 20, in 64ths of an inch)");
  }
  return Verdict::accept();
}

Verdict check_certificate_use(const WorldView& world, std::string_view certificate_id, Crop crop,
                              TimeMs t, CertificateRecord* out) {
  std::optional<CertificateRecord> cert = world.certificate(certificate_id);
  if (!cert) {
    return Verdict::reject(RuleCode::kCertUnknown,
                           "certificate " + std::string(certificate_id) + " is unknown");
  }
  std::optional<OrgRecord> issuer = world.org(cert->issuer);
  if (!issuer || issuer->kind != OrgKind::kCertifier || !issuer->accredited_for(cert->scheme)) {
    return Verdict::reject(RuleCode::kCertifierNotAccredited,
                           "issuer " + cert->issuer + " of certificate " + cert->certificate_id +
                               " is not accredited for " + std::string(name_of(cert->scheme)));
  }
  if (Verdict v = certificate_valid_at(*cert, t); !v.ok()) return v;
  if (!cert->covers(crop)) {
    return Verdict::reject(
        RuleCode::kCertScope,
        "certificate " + cert->certificate_id + " does not cover " + std::string(name_of(crop)));
  }
  if (out != nullptr) *out = std::move(*cert);
  return Verdict::accept();
}

Verdict check_claims(const WorldView& world, const std::vector<const LotRecord*>& lots,
                     const std::vector<Scheme>& claims, std::string_view holder, TimeMs t,
                     MissingClaim missing, std::vector<std::string>* checked) {
  for (Scheme scheme : claims) {
    for (const LotRecord* lot : lots) {
      Verdict v = claim_holds(world.reader(), *lot, scheme, t);
      if (!v.ok()) {
        if (v.code == RuleCode::kClaimNotCertified && missing == MissingClaim::kByScheme &&
            is_organic(scheme)) {
          v.code = RuleCode::kOrganicMixing;
          v.message = "lot " + lot->lot_id + " does not carry " + std::string(name_of(scheme)) +
                      ": mixing it into an organic claim";
        }
        return v;
      }
      for (const auto& id : lot->find_claim(scheme)->certificate_ids) insert_sorted(*checked, id);
    }
    // The operator itself must be certified for every crop it handles under the claim.
    std::vector<Crop> crops;
    for (const LotRecord* lot : lots) {
      if (std::find(crops.begin(), crops.end(), lot->crop) == crops.end()) {
        crops.push_back(lot->crop);
      }
    }
    for (Crop crop : crops) {
      std::string held_by;
      Verdict v = holder_holds_scheme(world.reader(), holder, scheme, crop, t, &held_by);
      if (!v.ok()) return v;
      insert_sorted(*checked, held_by);
    }
  }
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
