// The genesis of a network: its organizations and their keys, its validators, and the rule
// parameters. Everyone who holds the genesis can verify the whole chain from it; its hash is the
// previous hash of block 1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/core/hash.h"
#include "coopchain/core/params.h"

namespace coopchain {

struct Organization {
  std::string id;
  std::string name;
  OrgKind kind = OrgKind::kUnspecified;
  bool accredited = false;               // certifiers only: may issue certificates
  std::vector<std::string> public_keys;  // raw 32-byte Ed25519 keys that sign for it
  // The schemes an accredited certifier may certify (the JSON's, sorted); empty: every scheme.
  std::vector<Scheme> accredited_schemes = {};
};

struct Validator {
  std::string id;          // node id; by convention the cooperative's organization id
  std::string public_key;  // raw 32 bytes; signs votes (peer addresses live in node config)
  // Raw 32 bytes: the SHA-256 of its node's TLS public key (certificate_public_key_pin), by
  // which peers know it; empty in a network whose peers trust a certificate authority instead.
  std::string tls_pin = {};
  bool operator==(const Validator&) const = default;
};

struct Genesis {
  std::string chain_id;
  TimeMs genesis_time = 0;
  std::vector<Organization> organizations;
  std::vector<Validator> validators;
  RuleParams params;  // at height 0; those in force are in the state (params/, governance)
};

// The canonical encoding of the genesis (docs/archive-format.md, "The genesis hash") and its
// SHA-256, which is block 0's previous hash.
std::string encode_genesis(const Genesis& g);
Hash256 genesis_hash(const Genesis& g);

// True when the genesis pins every validator's TLS key: peers then know each other by those
// pins, with no certificate authority (the genesis reader refuses pins for only some).
bool pins_peers(const Genesis& genesis);

// Look-ups by id; nullptr when there is none.
const Validator* find_validator(const std::vector<Validator>& validators, std::string_view id);
const Organization* find_organization(const Genesis& genesis, std::string_view id);

}  // namespace coopchain
