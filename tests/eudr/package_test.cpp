// The EUDR package's limits and splits, on chains built through the rules: more than 1,000
// producers of one species become several commodities whose net weights add up to the export's;
// past one DDS's limits the package is refused saying by how much; a plot the export did not
// draw on is never in it.
#include "coopchain/eudr/package.h"

#include <gtest/gtest.h>

#include "test_chain.h"

namespace coopchain::testing {
namespace {

constexpr int64_t kSide = 2'000;  // 0.0002°: about 490 m²

// A chain with `farms` farms of one small polygon plot each, one harvest per farm, all blended
// into one lot, shipped to Germany as E-1.
TestChain chain_with_farms(int farms, const std::string& species = "") {
  TestChain chain;
  for (int i = 0; i < farms; ++i) {
    Plot p =
        plot("P-1", 489, Crop::kCoffee,
             square(-770000000 + (i % 100) * kSide * 2, -65000000 + (i / 100) * kSide * 2, kSide));
    p.species = species;
    chain.accept("coop-1", register_farm("F-" + std::to_string(i), {p}));
  }
  chain.commit();
  std::vector<LotAmount> inputs;
  for (int i = 0; i < farms; ++i) {
    chain.accept("coop-1", harvest("H-" + std::to_string(i), "F-" + std::to_string(i), "P-1",
                                   1'000 + i, at("2026-11-01T00:00:00Z")));
    inputs.push_back({"H-" + std::to_string(i), 1'000u + i});
  }
  chain.commit();
  uint64_t total = 0;
  for (const auto& in : inputs) total += in.mass_g;
  // Blends of at most 1,000 inputs, then one of those.
  std::vector<LotAmount> blends;
  for (size_t start = 0, n = 0; start < inputs.size(); start += 1'000, ++n) {
    std::vector<LotAmount> part(inputs.begin() + start,
                                inputs.begin() + std::min(inputs.size(), start + 1'000));
    uint64_t mass = 0;
    for (const auto& in : part) mass += in.mass_g;
    const std::string id = "B-" + std::to_string(n);
    chain.accept("coop-1", process(id, part, ProcessingStep::kBlend, Form::kCherry, mass,
                                   at("2026-11-02T00:00:00Z")));
    blends.push_back({id, mass});
  }
  chain.accept("coop-1", process("B-ALL", blends, ProcessingStep::kBlend, Form::kCherry, total,
                                 at("2026-11-03T00:00:00Z")));
  chain.accept("coop-1", ship("E-1", {{"B-ALL", total}}, "DE", at("2026-11-04T00:00:00Z")));
  chain.commit();
  return chain;
}

TEST(EudrPackage, MoreThanAThousandProducersAreSplitOverCommoditiesThatAddUp) {
  TestChain chain = chain_with_farms(2'300);
  auto package = build_eudr_package(chain.block(), "E-1", {});
  ASSERT_TRUE(package.ok()) << package.status().to_string();
  EXPECT_EQ(package->producers, 2'300u);
  EXPECT_EQ(package->plots, 2'300u);
  EXPECT_EQ(package->commodities, 3u);
  uint64_t expected = 0;
  for (int i = 0; i < 2'300; ++i) expected += 1'000 + i;
  EXPECT_EQ(package->net_weight_g, expected);
  // The commodities' net weights, in grams in the evidence, add up to the export's.
  const std::string& ev = package->evidence_json;
  uint64_t sum = 0;
  for (size_t at = ev.find("\"netWeightG\": ", ev.find("\"commodities\"")); at != std::string::npos;
       at = ev.find("\"netWeightG\": ", at + 1)) {
    sum += std::stoull(ev.substr(at + 14));
  }
  EXPECT_EQ(sum, expected);
}

TEST(EudrPackage, BeyondOneStatementsLimitsItSaysByHowMuch) {
  TestChain chain = chain_with_farms(30);
  EudrPackageOptions options;
  options.max_producers = 25;
  auto over = build_eudr_package(chain.block(), "E-1", options);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(over.status().message().find("30 producers"), std::string::npos)
      << over.status().to_string();
  EXPECT_NE(over.status().message().find("(5 too many)"), std::string::npos);
  options = {};
  options.max_geolocation_bytes = 1'000;
  auto big = build_eudr_package(chain.block(), "E-1", options);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("bytes; one DDS takes 1000"), std::string::npos)
      << big.status().to_string();
  EXPECT_EQ(build_eudr_package(chain.block(), "E-404", {}).status().code(), StatusCode::kNotFound);
}

TEST(EudrPackage, OnlyTheExportsLineageIsInIt) {
  TestChain chain;
  chain.build_standard_world();
  chain.accept("coop-1", ship("E-1", {{"H-1", 100'000}}, "DE", at("2026-11-10T00:00:00Z")));
  chain.commit();
  auto package = build_eudr_package(chain.block(), "E-1", {});
  ASSERT_TRUE(package.ok()) << package.status().to_string();
  EXPECT_EQ(package->plots, 1u);
  EXPECT_NE(package->geolocation_geojson.find("\"F-001/P-1\""), std::string::npos);
  EXPECT_EQ(package->geolocation_geojson.find("P-2"), std::string::npos);
  EXPECT_NE(package->dds_json.find("\"netWeight\": 100"), std::string::npos) << package->dds_json;
}

}  // namespace
}  // namespace coopchain::testing
