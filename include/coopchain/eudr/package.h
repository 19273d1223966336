// The EUDR due-diligence package for one export: what the EU importer needs to file its due
// diligence statement (shared/eudr.md, docs/eudr.md), built from the chain alone.
//
//   geolocation.geojson  one Feature per origin plot of the export's lineage (each once, no
//                        others), with the properties the EU Information System reads, the
//                        coordinates truncated to 6 decimals as it stores them;
//   dds.json             the DDS (API v3) fields the chain knows, and the importer's own left as
//                        named empty fields;
//   evidence.json        for every figure, the transaction and height it comes from.
//
// Pure over a StateReader (plus a lookup of a transaction's height): the node serves it, the
// benchmark calls it directly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "coopchain/core/hash.h"
#include "coopchain/core/status.h"
#include "coopchain/state/state_view.h"

namespace coopchain {

// The EU Information System's limits per DDS (shared/eudr.md).
inline constexpr size_t kDdsMaxProducers = 10'000;
inline constexpr size_t kDdsMaxProducersPerCommodity = 1'000;
inline constexpr size_t kDdsMaxCommodities = 100;
inline constexpr size_t kDdsMaxGeolocationBytes = 25'000'000;

struct EudrPackageOptions {
  bool producer_names = true;  // false: ProducerName and the producers' names are left out
  size_t max_producers = kDdsMaxProducers;
  size_t max_geolocation_bytes = kDdsMaxGeolocationBytes;
  std::string chain_id;  // named in the evidence and the DDS comment
  uint64_t head_height = 0;
  // The height a committed transaction is in; nullopt when unknown.
  std::function<std::optional<uint64_t>(const Hash256&)> tx_height;
};

struct EudrPackage {
  std::string geolocation_geojson;
  std::string dds_json;
  std::string evidence_json;
  size_t plots = 0;
  size_t producers = 0;
  size_t commodities = 0;
  uint64_t net_weight_g = 0;
};

// NOT_FOUND (UNKNOWN_LOT never: the export names committed lots) when there is no such export;
// FAILED_PRECONDITION naming by how much when the package exceeds one DDS's limits, or when an
// origin plot has no geolocation (an export outside the EU may have such plots).
Result<EudrPackage> build_eudr_package(const StateReader& state, std::string_view export_id,
                                       const EudrPackageOptions& options);

}  // namespace coopchain
