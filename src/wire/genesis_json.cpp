#include "coopchain/wire/genesis_json.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <set>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"
#include "coopchain/v1/genesis.pb.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/governance_proto.h"
#include "coopchain/wire/json_guard.h"
#include "coopchain/wire/time_codec.h"

namespace coopchain::wire {
namespace {

Result<std::string> public_key_from_hex(std::string_view hex, std::string_view whose) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() != kPublicKeySize) {
    return Status::InvalidArgument("genesis: public key of " + std::string(whose) +
                                   " is not 64 hex digits");
  }
  return *raw;
}

Status message_from_json(std::string_view json, std::string_view what,
                         google::protobuf::Message* out) {
  if (std::string why = check_json_structure(json); !why.empty()) {
    return Status::InvalidArgument(std::string(what) + ": " + why);
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto st = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), out, options);
  if (!st.ok())
    return Status::InvalidArgument(std::string(what) + ": " + std::string(st.message()));
  return Status::Ok();
}

}  // namespace

Result<Genesis> genesis_from_json(std::string_view json) {
  v1::Genesis g;
  if (Status st = message_from_json(json, "genesis", &g); !st.ok()) return st;
  return genesis_from_proto(g);
}

Result<Genesis> genesis_from_proto(const v1::Genesis& g) {
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
    std::string pin;
    if (!v.tls_pin().empty()) {
      std::optional<std::string> raw = from_hex(v.tls_pin());
      if (!raw || raw->size() != 32) {
        return Status::InvalidArgument("genesis: tlsPin of validator " + v.id() +
                                       " is not 64 hex digits");
      }
      pin = std::move(*raw);
    }
    for (const auto& other : out.validators) {
      if (other.public_key == *key || (!pin.empty() && other.tls_pin == pin)) {
        return Status::InvalidArgument("genesis: validator " + v.id() + " has the vote key or " +
                                       "tlsPin of validator " + other.id);
      }
    }
    out.validators.push_back({v.id(), std::move(key).value(), std::move(pin)});
  }
  if (out.validators.empty()) return Status::InvalidArgument("genesis: no validators");
  for (const auto& v : out.validators) {
    if (v.tls_pin.empty() != out.validators.front().tls_pin.empty()) {
      return Status::InvalidArgument(
          "genesis: tlsPin is given for some validators and not others: peers are known either "
          "all by their pins or all by the network CA");
    }
  }
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
    r.default_country = p.default_country();
    r.eudr_require_assessment = p.eudr_require_assessment();
    if (p.reception_tolerance_bp() != 0) r.reception_tolerance_bp = p.reception_tolerance_bp();
    if (p.governance_threshold_per_mille() != 0) {
      r.governance_threshold_per_mille = p.governance_threshold_per_mille();
    }
    if (p.conversion_periods_size() > 0) {
      std::map<Scheme, uint32_t> periods;
      for (const auto& c : p.conversion_periods()) {
        if (c.scheme() == v1::SCHEME_UNSPECIFIED || !v1::Scheme_IsValid(c.scheme())) {
          return Status::InvalidArgument("genesis: conversionPeriods names an unknown scheme");
        }
        const auto scheme = static_cast<Scheme>(c.scheme());
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
  if (std::string why = check_rule_params(out.params); !why.empty()) {
    return Status::InvalidArgument("genesis: params: " + why);
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
    if (!v.tls_pin.empty()) val->set_tls_pin(to_hex(v.tls_pin));
  }
  *g.mutable_params() = params_to_proto(genesis.params);
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(g, &out, options);
  return out;
}

std::string member_card_to_json(const v1::MemberCard& card) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(card, &out, options);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Result<v1::MemberCard> member_card_from_json(std::string_view json) {
  v1::MemberCard card;
  if (Status st = message_from_json(json, "member card", &card); !st.ok()) return st;
  const auto& o = card.organization();
  if (o.id().empty()) return Status::InvalidArgument("member card: organization.id is empty");
  if (card.has_node()) {
    const auto& n = card.node();
    if (n.id().empty() || n.peer_address().empty()) {
      return Status::InvalidArgument("member card of " + o.id() +
                                     ": its node needs an id and a peerAddress");
    }
  }
  return card;
}

Result<Genesis> genesis_from_cards(const std::string& chain_id, TimeMs genesis_time,
                                   const std::vector<v1::MemberCard>& cards,
                                   std::string_view params_json) {
  v1::Genesis g;
  g.set_chain_id(chain_id);
  *g.mutable_genesis_time() = to_timestamp(genesis_time);
  for (const auto& card : cards) {
    *g.add_organizations() = card.organization();
    if (!card.has_node()) continue;
    auto* v = g.add_validators();
    v->set_id(card.node().id());
    v->set_public_key(card.node().public_key());
    v->set_tls_pin(card.node().tls_pin());
  }
  if (!params_json.empty()) {
    if (Status st = message_from_json(params_json, "params", g.mutable_params()); !st.ok()) {
      return st;
    }
  }
  return genesis_from_proto(g);
}

}  // namespace coopchain::wire
