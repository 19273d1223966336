// The genesis of a network: its organizations and their keys, its validators, and the rule
// parameters. Everyone who holds the genesis can verify the whole chain from it; its hash is the
// previous hash of block 1.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/core/hash.h"

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
};

// A conversion cap in per mille: output mass ≤ input mass × per_mille / 1000.
struct ConversionCap {
  Form from = Form::kUnspecified;
  Form to = Form::kUnspecified;
  uint32_t per_mille = 0;
};

// How many months a farm's land must be managed to a scheme's standard before its harvest may
// claim the scheme (the organic conversion period; for perennials such as coffee and cocoa, 36).
struct ConversionPeriod {
  Scheme scheme = Scheme::kUnspecified;
  uint32_t months = 0;
};

struct RuleParams {
  uint64_t coffee_yield_cap_g_per_ha = 15'000'000;  // cherry, per plot per calendar year
  uint64_t cocoa_yield_cap_g_per_ha = 6'000'000;    // wet beans, per plot per calendar year
  std::vector<ConversionCap> conversion_caps;       // same form → same form is always 1000
  int64_t future_skew_ms = 5 * 60 * 1000;
  int64_t lateness_ms = int64_t{90} * 24 * 60 * 60 * 1000;
  std::vector<std::string> eu_countries;  // ISO 3166-1 alpha-2, sorted
  uint64_t eudr_polygon_min_area_m2 = 40'000;
  // Block validity limits. Every node refuses a block past them whatever its own config says;
  // a node's config can only make it propose smaller blocks. A transaction's size is its
  // payload's bytes plus its signature's.
  uint32_t max_block_txs = 2'000;
  uint64_t max_block_bytes = 4 << 20;
  // The country (ISO 3166-1 alpha-2) of a farm registered without one; empty: a farm must
  // name its country.
  std::string default_country;
  // When true, an EU export is refused (EUDR_ASSESSMENT_MISSING) unless every origin plot's
  // latest deforestation assessment is DEFORESTATION_FREE and of its current geometry.
  bool eudr_require_assessment = false;
  // Sorted by scheme, each once; a scheme not listed has no conversion period.
  std::vector<ConversionPeriod> conversion_periods;
  // How much more than was sent a recipient may weigh at reception (receiveLot), in basis
  // points (1/100 of a per cent): scales differ; beyond it, RECEPTION_MISMATCH.
  uint32_t reception_tolerance_bp = 50;

  // The scheme's conversion period in months; 0 when it has none.
  uint32_t conversion_months(Scheme scheme) const;
  // The contract's devnet defaults.
  static RuleParams defaults();
};

struct Genesis {
  std::string chain_id;
  TimeMs genesis_time = 0;
  std::vector<Organization> organizations;
  std::vector<Validator> validators;
  RuleParams params;
};

// The canonical encoding of the genesis (docs/archive-format.md, "The genesis hash") and its
// SHA-256, which is block 0's previous hash.
std::string encode_genesis(const Genesis& g);
Hash256 genesis_hash(const Genesis& g);

// Look-ups by id; nullptr when there is none.
const Validator* find_validator(const std::vector<Validator>& validators, std::string_view id);
const Organization* find_organization(const Genesis& genesis, std::string_view id);

}  // namespace coopchain
