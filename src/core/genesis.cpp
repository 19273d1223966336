#include "coopchain/core/genesis.h"

#include "coopchain/core/codec.h"

namespace coopchain {

std::string encode_genesis(const Genesis& g) {
  Writer w;
  w.bytes("coopchain/genesis/v6").bytes(g.chain_id).i64(g.genesis_time);
  w.count(g.organizations.size());
  for (const auto& o : g.organizations) {
    w.bytes(o.id).bytes(o.name).u8(static_cast<uint8_t>(o.kind)).boolean(o.accredited);
    w.count(o.public_keys.size());
    for (const auto& k : o.public_keys) w.bytes(k);
    w.count(o.accredited_schemes.size());
    for (Scheme s : o.accredited_schemes) w.u8(static_cast<uint8_t>(s));
  }
  w.count(g.validators.size());
  for (const auto& v : g.validators) w.bytes(v.id).bytes(v.public_key).bytes(v.tls_pin);
  encode_rule_params(w, g.params);
  return std::move(w).data();
}

Hash256 genesis_hash(const Genesis& g) {
  return sha256(encode_genesis(g));
}

bool pins_peers(const Genesis& genesis) {
  return !genesis.validators.empty() && !genesis.validators.front().tls_pin.empty();
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
