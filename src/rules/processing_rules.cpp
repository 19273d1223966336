// processing: a processor or cooperative turns input lots it owns into a new output lot (wet
// mill, drying, dry mill, sorting, blending, or a SPLIT of one lot in the same form), and
// perhaps by-product lots (cascara, cocoa shell or pulp). Inputs give up the mass they put in;
// the outputs keep only the claims the step asks for and that hold.
#include <algorithm>

#include "coopchain/core/civil_time.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

// The cap in per mille for from → to, or nullopt when the conversion is not allowed.
std::optional<uint64_t> conversion_cap(const RuleParams& params, Form from, Form to) {
  if (from == to) return 1000;
  for (const auto& c : params.conversion_caps) {
    if (c.from == from && c.to == to) return c.per_mille;
  }
  return std::nullopt;
}

// CONVERSION_IMPLAUSIBLE unless `mass_g` of `form` is within the caps from what the inputs put
// in: Σ input mass × cap(input form → form) / 1000.
Verdict check_conversion_cap(const RuleParams& params, const std::vector<LotRecord>& inputs,
                             const std::vector<LotAmount>& amounts, Form form, uint64_t mass_g,
                             const std::string& what) {
  uint64_t allowed_per_mille_g = 0;  // Σ input mass × cap, in g × 1/1000
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::optional<uint64_t> cap = conversion_cap(params, inputs[i].form, form);
    if (!cap) {
      return Verdict::reject(RuleCode::kConversionImplausible,
                             "no conversion from " + std::string(name_of(inputs[i].form)) + " to " +
                                 std::string(name_of(form)));
    }
    uint64_t part = 0;
    if (!checked_mul(amounts[i].mass_g, *cap, &part) ||
        !checked_add(allowed_per_mille_g, part, &allowed_per_mille_g)) {
      return overflow("the conversion cap");
    }
  }
  uint64_t output_per_mille_g = 0;
  if (!checked_mul(mass_g, 1000, &output_per_mille_g)) return overflow(what);
  if (output_per_mille_g > allowed_per_mille_g) {
    return Verdict::reject(RuleCode::kConversionImplausible,
                           what + " of " + std::to_string(mass_g) +
                               " g exceeds the conversion cap of " +
                               std::to_string(allowed_per_mille_g / 1000) + " g");
  }
  return Verdict::accept();
}

}  // namespace

Verdict apply_processing(World& world, const EventContext& ctx, const Processing& e) {
  // Existence and ownership.
  if (world.has_lot(e.output_lot_id)) {
    return Verdict::reject(RuleCode::kLotExists, "lot " + e.output_lot_id + " already exists");
  }
  for (const auto& b : e.by_products) {
    if (world.has_lot(b.lot_id)) {
      return Verdict::reject(RuleCode::kLotExists, "lot " + b.lot_id + " already exists");
    }
  }
  std::vector<LotRecord> inputs;
  if (Verdict v = load_owned_lots(world, e.inputs, ctx.signer.id, &inputs); !v.ok()) return v;
  const Crop crop = inputs.front().crop;
  for (const auto& lot : inputs) {
    if (lot.crop != crop) return Verdict::reject(RuleCode::kMalformed, "inputs mix crops");
  }
  if (e.step == ProcessingStep::kSplit && e.output_form != inputs.front().form) {
    return Verdict::reject(RuleCode::kMalformed, "a SPLIT keeps the form of its input");
  }
  // Time.
  if (Verdict v = check_event_time(ctx, e.processed_at, "processedAt"); !v.ok()) return v;
  for (const auto& lot : inputs) {
    if (e.processed_at < lot.last_event_at) {
      return Verdict::reject(RuleCode::kTimeOrder, "processedAt is before the last event on lot " +
                                                       lot.lot_id + " at " +
                                                       format_rfc3339(lot.last_event_at));
    }
  }
  // Mass: each input gives no more than it holds; each output no more than the caps allow, and
  // all outputs together no more than went in.
  uint64_t taken = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const LotRecord& lot = inputs[i];
    const uint64_t mass = e.inputs[i].mass_g;
    if (mass > lot.mass_g) {
      return Verdict::reject(RuleCode::kMassBalanceExceeded,
                             "lot " + lot.lot_id + " holds " + std::to_string(lot.mass_g) +
                                 " g, the step takes " + std::to_string(mass) + " g");
    }
    if (!checked_add(taken, mass, &taken)) return overflow("the inputs' mass");
  }
  if (Verdict v = check_conversion_cap(ctx.params, inputs, e.inputs, e.output_form, e.output_mass_g,
                                       "output");
      !v.ok()) {
    return v;
  }
  uint64_t given = e.output_mass_g;
  for (const auto& b : e.by_products) {
    if (Verdict v = check_conversion_cap(ctx.params, inputs, e.inputs, b.form, b.mass_g,
                                         "by-product " + b.lot_id);
        !v.ok()) {
      return v;
    }
    if (!checked_add(given, b.mass_g, &given)) return overflow("the outputs' mass");
  }
  if (given > taken) {
    return Verdict::reject(RuleCode::kMassBalanceExceeded,
                           "the step's outputs weigh " + std::to_string(given) +
                               " g, more than the " + std::to_string(taken) + " g its inputs gave");
  }
  // Quality.
  if (Verdict v = check_quality(e.quality, crop); !v.ok()) return v;
  // Claims.
  std::vector<const LotRecord*> input_ptrs;
  for (const auto& lot : inputs) input_ptrs.push_back(&lot);
  std::vector<std::string> checked;
  if (Verdict v = check_claims(world, input_ptrs, e.claims, ctx.signer.id, e.processed_at,
                               MissingClaim::kByScheme, &checked);
      !v.ok()) {
    return v;
  }

  // Effects: the outputs share the inputs' origins and the claimed schemes.
  std::vector<LotOrigin> origins;
  for (size_t i = 0; i < inputs.size(); ++i) {
    LotRecord& lot = inputs[i];
    const uint64_t mass = e.inputs[i].mass_g;
    for (const auto& o : lot.origins) origins.push_back(o);
    lot.mass_g -= mass;
    lot.in_transit_g = 0;  // its owner used it: it arrived
    lot.last_event_at = e.processed_at;
    LotEventRecord& input = add_history(lot, ctx, LotEventKind::kInput, e.processed_at, {},
                                        -static_cast<int64_t>(mass));
    input.step = e.step;
    input.lot_id = e.output_lot_id;
    for (const auto& b : e.by_products) input.by_products.push_back(b.lot_id);
    world.put_lot(lot);
  }
  std::sort(origins.begin(), origins.end());
  origins.erase(std::unique(origins.begin(), origins.end()), origins.end());
  const auto make_output = [&](const std::string& id, Form form, uint64_t mass_g,
                               const Quality& quality) {
    LotRecord out;
    out.lot_id = id;
    out.crop = crop;
    out.form = form;
    out.mass_g = mass_g;
    out.produced_g = mass_g;
    out.owner = ctx.signer.id;
    out.origins = origins;
    out.inputs = e.inputs;
    out.created_by_step = e.step;
    out.created_at = e.processed_at;
    out.last_event_at = e.processed_at;
    out.facility = e.facility;
    out.quality = quality;
    for (Scheme scheme : e.claims) {
      for (const auto& lot : inputs) {
        for (const auto& cert : lot.find_claim(scheme)->certificate_ids) {
          add_claim(out, scheme, cert);
        }
      }
    }
    add_history(out, ctx, LotEventKind::kProcessing, e.processed_at, checked,
                static_cast<int64_t>(mass_g));
    world.put_lot(out);
    for (const auto& o : out.origins) world.add_farm_lot(o.farm_id, out.lot_id);
  };
  make_output(e.output_lot_id, e.output_form, e.output_mass_g, e.quality);
  for (const auto& b : e.by_products) make_output(b.lot_id, b.form, b.mass_g, Quality{});
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal
