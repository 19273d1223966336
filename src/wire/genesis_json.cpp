#include "coopchain/wire/genesis_json.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <set>

#include "coopchain/core/country.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"
#include "coopchain/v1/genesis.pb.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/json_guard.h"
#include "coopchain/wire/time_codec.h"

namespace coopchain::wire {
namespace {

// Twenty years: past any scheme's rules, and far from overflowing the calendar arithmetic.
constexpr uint32_t kMaxConversionMonths = 240;

Result<std::string> public_key_from_hex(std::string_view hex, std::string_view whose) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() != kPublicKeySize) {
    return Status::InvalidArgument("genesis: public key of " + std::string(whose) +
                                   " is not 64 hex digits");
  }
  return *raw;
}

}  // namespace

Result<Genesis> genesis_from_json(std::string_view json) {
  if (std::string why = check_json_structure(json); !why.empty()) {
    return Status::InvalidArgument("genesis: " + why);
  }
  v1::Genesis g;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto st = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &g, options);
  if (!st.ok()) return Status::InvalidArgument("genesis: " + std::string(st.message()));
  Genesis out;
  out.chain_id = g.chain_id();
  if (out.chain_id.empty()) return Status::InvalidArgument("genesis: chainId is empty");
  if (g.genesis_time().nanos() % 1'000'000 != 0) {
    return Status::InvalidArgument(
        "genesis: genesisTime has a part below the millisecond, which the chain cannot keep");
  }
  out.genesis_time = to_ms(g.genesis_time());
  std::set<std::string> ids;
  for (const auto& o : g.organizations()) {
    auto kind = parse_org_kind(o.kind());
    if (!kind)
      return Status::InvalidArgument("genesis: organization " + o.id() + " has kind \"" + o.kind() +
                                     "\"");
    if (o.id().empty() || !ids.insert(o.id()).second) {
      return Status::InvalidArgument("genesis: organization id \"" + o.id() +
                                     "\" is empty or repeated");
    }
    std::set<Scheme> schemes;
    for (int s : o.accredited_schemes()) {
      if (s == v1::SCHEME_UNSPECIFIED || !v1::Scheme_IsValid(s)) {
        return Status::InvalidArgument("genesis: organization " + o.id() +
                                       " names an unknown accredited scheme");
      }
      schemes.insert(static_cast<Scheme>(s));
    }
    if (!schemes.empty() && *kind != OrgKind::kCertifier) {
      return Status::InvalidArgument("genesis: organization " + o.id() +
                                     " is not a CERTIFIER and cannot be accredited for schemes");
    }
    Organization org{o.id(), o.name(),
                     *kind,  o.accredited() || !schemes.empty(),
                     {},     std::vector<Scheme>(schemes.begin(), schemes.end())};
    for (const auto& k : o.public_keys()) {
      auto key = public_key_from_hex(k, o.id());
      if (!key.ok()) return key.status();
      org.public_keys.push_back(std::move(key).value());
    }
    out.organizations.push_back(std::move(org));
  }
  std::set<std::string> validator_ids;
  for (const auto& v : g.validators()) {
    auto key = public_key_from_hex(v.public_key(), v.id());
    if (!key.ok()) return key.status();
    if (v.id().empty() || !validator_ids.insert(v.id()).second) {
      return Status::InvalidArgument("genesis: validator id \"" + v.id() +
                                     "\" is empty or repeated");
    }
    out.validators.push_back({v.id(), std::move(key).value()});
  }
  if (out.validators.empty()) return Status::InvalidArgument("genesis: no validators");
  out.params = RuleParams::defaults();
  if (g.has_params()) {
    const auto& p = g.params();
    RuleParams& r = out.params;
    if (p.coffee_yield_cap_g_per_ha() != 0)
      r.coffee_yield_cap_g_per_ha = p.coffee_yield_cap_g_per_ha();
    if (p.cocoa_yield_cap_g_per_ha() != 0)
      r.cocoa_yield_cap_g_per_ha = p.cocoa_yield_cap_g_per_ha();
    if (p.conversion_caps_size() > 0) {
      r.conversion_caps.clear();
      for (const auto& c : p.conversion_caps()) {
        r.conversion_caps.push_back(
            {static_cast<Form>(c.from()), static_cast<Form>(c.to()), c.per_mille()});
      }
    }
    if (p.future_skew_ms() != 0) r.future_skew_ms = p.future_skew_ms();
    if (p.lateness_ms() != 0) r.lateness_ms = p.lateness_ms();
    if (p.eu_countries_size() > 0) {
      std::set<std::string> sorted(p.eu_countries().begin(), p.eu_countries().end());
      r.eu_countries.assign(sorted.begin(), sorted.end());
    }
    if (p.eudr_polygon_min_area_m2() != 0)
      r.eudr_polygon_min_area_m2 = p.eudr_polygon_min_area_m2();
    if (p.max_block_txs() != 0) r.max_block_txs = p.max_block_txs();
    if (p.max_block_bytes() != 0) r.max_block_bytes = p.max_block_bytes();
    if (!p.default_country().empty() && !is_iso_country(p.default_country())) {
      return Status::InvalidArgument("genesis: defaultCountry \"" + p.default_country() +
                                     "\" is not an ISO 3166-1 alpha-2 code");
    }
    r.default_country = p.default_country();
    r.eudr_require_assessment = p.eudr_require_assessment();
    if (p.reception_tolerance_bp() != 0) {
      if (p.reception_tolerance_bp() > 10'000) {
        return Status::InvalidArgument("genesis: receptionToleranceBp is " +
                                       std::to_string(p.reception_tolerance_bp()) +
                                       ", more than 10000 (100 %)");
      }
      r.reception_tolerance_bp = p.reception_tolerance_bp();
    }
    if (p.conversion_periods_size() > 0) {
      std::map<Scheme, uint32_t> periods;
      for (const auto& c : p.conversion_periods()) {
        if (c.scheme() == v1::SCHEME_UNSPECIFIED || !v1::Scheme_IsValid(c.scheme())) {
          return Status::InvalidArgument("genesis: conversionPeriods names an unknown scheme");
        }
        const auto scheme = static_cast<Scheme>(c.scheme());
        if (c.months() > kMaxConversionMonths) {
          return Status::InvalidArgument("genesis: the conversion period of " +
                                         std::string(name_of(scheme)) + " is " +
                                         std::to_string(c.months()) + " months, more than " +
                                         std::to_string(kMaxConversionMonths));
        }
        if (!periods.emplace(scheme, c.months()).second) {
          return Status::InvalidArgument("genesis: conversionPeriods names " +
                                         std::string(name_of(scheme)) + " twice");
        }
      }
      r.conversion_periods.clear();
      for (const auto& [scheme, months] : periods) {
        if (months > 0) r.conversion_periods.push_back({scheme, months});
      }
    }
  }
  // A block must have room for the largest transaction a node accepts, or such a transaction
  // would be admitted and then fit in no block.
  if (out.params.max_block_bytes < kMaxPayloadBytes + kSignatureSize) {
    return Status::InvalidArgument("genesis: maxBlockBytes must be at least " +
                                   std::to_string(kMaxPayloadBytes + kSignatureSize) +
                                   " (the largest transaction)");
  }
  return out;
}

std::string genesis_to_json(const Genesis& genesis) {
  v1::Genesis g;
  g.set_chain_id(genesis.chain_id);
  *g.mutable_genesis_time() = to_timestamp(genesis.genesis_time);
  for (const auto& o : genesis.organizations) {
    auto* org = g.add_organizations();
    org->set_id(o.id);
    org->set_name(o.name);
    org->set_kind(std::string(name_of(o.kind)));
    org->set_accredited(o.accredited);
    for (Scheme s : o.accredited_schemes) org->add_accredited_schemes(static_cast<v1::Scheme>(s));
    for (const auto& k : o.public_keys) org->add_public_keys(to_hex(k));
  }
  for (const auto& v : genesis.validators) {
    auto* val = g.add_validators();
    val->set_id(v.id);
    val->set_public_key(to_hex(v.public_key));
  }
  auto* p = g.mutable_params();
  const RuleParams& r = genesis.params;
  p->set_coffee_yield_cap_g_per_ha(r.coffee_yield_cap_g_per_ha);
  p->set_cocoa_yield_cap_g_per_ha(r.cocoa_yield_cap_g_per_ha);
  for (const auto& c : r.conversion_caps) {
    auto* cap = p->add_conversion_caps();
    cap->set_from(static_cast<v1::Form>(c.from));
    cap->set_to(static_cast<v1::Form>(c.to));
    cap->set_per_mille(c.per_mille);
  }
  p->set_future_skew_ms(r.future_skew_ms);
  p->set_lateness_ms(r.lateness_ms);
  for (const auto& c : r.eu_countries) p->add_eu_countries(c);
  p->set_eudr_polygon_min_area_m2(r.eudr_polygon_min_area_m2);
  p->set_max_block_txs(r.max_block_txs);
  p->set_max_block_bytes(r.max_block_bytes);
  p->set_default_country(r.default_country);
  p->set_eudr_require_assessment(r.eudr_require_assessment);
  p->set_reception_tolerance_bp(r.reception_tolerance_bp);
  for (const auto& c : r.conversion_periods) {
    auto* period = p->add_conversion_periods();
    period->set_scheme(static_cast<v1::Scheme>(c.scheme));
    period->set_months(c.months);
  }
  // An empty list would read back as the defaults: "none" is said with a period of 0 months.
  if (r.conversion_periods.empty()) p->add_conversion_periods()->set_scheme(v1::EU_ORGANIC);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(g, &out, options);
  return out;
}

}  // namespace coopchain::wire
