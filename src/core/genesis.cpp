#include "coopchain/core/genesis.h"

#include "coopchain/core/codec.h"

namespace coopchain {

RuleParams RuleParams::defaults() {
  RuleParams p;
  p.conversion_caps = {
      {Form::kCherry, Form::kParchment, 250},
      {Form::kParchment, Form::kGreen, 850},
      {Form::kCherry, Form::kGreen, 220},
      {Form::kWetBeans, Form::kDryBeans, 450},
      // By-products: dried cascara is about a sixth of the cherry, the pulp drained in
      // fermentation about a tenth of the wet beans, the shell about an eighth of dry beans.
      {Form::kCherry, Form::kCascara, 200},
      {Form::kWetBeans, Form::kCocoaPulp, 150},
      {Form::kDryBeans, Form::kCocoaShell, 150},
  };
  p.eu_countries = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
                    "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
                    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
  p.conversion_periods = {{Scheme::kEuOrganic, 36}, {Scheme::kUsdaOrganic, 36}};
  return p;
}

uint32_t RuleParams::conversion_months(Scheme scheme) const {
  for (const auto& c : conversion_periods) {
    if (c.scheme == scheme) return c.months;
  }
  return 0;
}

std::string encode_genesis(const Genesis& g) {
  Writer w;
  w.bytes("coopchain/genesis/v5").bytes(g.chain_id).i64(g.genesis_time);
  w.count(g.organizations.size());
  for (const auto& o : g.organizations) {
    w.bytes(o.id).bytes(o.name).u8(static_cast<uint8_t>(o.kind)).boolean(o.accredited);
    w.count(o.public_keys.size());
    for (const auto& k : o.public_keys) w.bytes(k);
    w.count(o.accredited_schemes.size());
    for (Scheme s : o.accredited_schemes) w.u8(static_cast<uint8_t>(s));
  }
  w.count(g.validators.size());
  for (const auto& v : g.validators) w.bytes(v.id).bytes(v.public_key);
  const RuleParams& p = g.params;
  w.u64(p.coffee_yield_cap_g_per_ha).u64(p.cocoa_yield_cap_g_per_ha);
  w.count(p.conversion_caps.size());
  for (const auto& c : p.conversion_caps) {
    w.u8(static_cast<uint8_t>(c.from)).u8(static_cast<uint8_t>(c.to)).u32(c.per_mille);
  }
  w.i64(p.future_skew_ms).i64(p.lateness_ms);
  w.count(p.eu_countries.size());
  for (const auto& c : p.eu_countries) w.bytes(c);
  w.u64(p.eudr_polygon_min_area_m2);
  w.u32(p.max_block_txs).u64(p.max_block_bytes);
  w.bytes(p.default_country);
  w.boolean(p.eudr_require_assessment);
  w.count(p.conversion_periods.size());
  for (const auto& c : p.conversion_periods) w.u8(static_cast<uint8_t>(c.scheme)).u32(c.months);
  w.u32(p.reception_tolerance_bp);
  return std::move(w).data();
}

Hash256 genesis_hash(const Genesis& g) {
  return sha256(encode_genesis(g));
}

const Validator* find_validator(const std::vector<Validator>& validators, std::string_view id) {
  for (const auto& v : validators) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const Organization* find_organization(const Genesis& genesis, std::string_view id) {
  for (const auto& o : genesis.organizations) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

}  // namespace coopchain
