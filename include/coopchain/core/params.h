// The chain parameters the rules and the block check read: set by the genesis, changed by
// governance (setParameters), and kept in the state so that every node, the simulator and the
// auditor read the ones in force at each height.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/core/codec.h"
#include "coopchain/core/domain.h"

namespace coopchain {

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
  // A proposal passes when its approvals are more than this many thousandths of the governing
  // cooperatives (500: more than half); 1000: every one of them.
  uint32_t governance_threshold_per_mille = 500;

  bool operator==(const RuleParams&) const = default;

  // The scheme's conversion period in months; 0 when it has none.
  uint32_t conversion_months(Scheme scheme) const;
  // The approvals a proposal needs among `governors` cooperatives.
  size_t approvals_needed(size_t governors) const;
  // These parameters with a governance change applied: the fields it sets, the rest kept.
  RuleParams with(const SetParameters& change) const;
  // The contract's devnet defaults.
  static RuleParams defaults();
};

// Empty when every parameter is within its bounds (docs/governance.md, "Parameters"), else
// what is out of them, naming the parameter by its JSON name. The genesis and setParameters
// are both held to it, so no chain can reach parameters that break a rule's arithmetic or leave
// a block no room for the largest transaction.
std::string check_rule_params(const RuleParams& params);

// The canonical encoding, in the genesis hash and in the state's params record.
void encode_rule_params(Writer& w, const RuleParams& params);
// nullopt when the bytes do not hold one.
std::optional<RuleParams> decode_rule_params(Reader& r);

}  // namespace coopchain
