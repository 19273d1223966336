// A farm's country and its plots' species: what the EU's due diligence statement names for every
// producer (docs/eudr.md). Consensus-visible: both are in the farm's state record.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

Event farm(std::string id, std::string country, std::vector<Plot> plots) {
  auto e = std::get<RegisterFarm>(register_farm(std::move(id), std::move(plots)));
  e.country = std::move(country);
  return e;
}

TEST(FarmCountry, AFarmWithoutACountryTakesTheChainsDefaultAndPlotsTheirCropsSpecies) {
  TestChain chain;  // defaultCountry PE, as the devnet's
  Plot named = plot("P-2", 10'000, Crop::kCoffee, {});
  named.species = "Coffea canephora";
  chain.accept("coop-1", farm("F-1", "", {plot("P-1", 10'000, Crop::kCocoa, {}), named}));
  chain.accept("coop-1", farm("F-2", "CO", {plot("P-1", 10'000, Crop::kCoffee, {})}));
  const WorldView world(chain.block());
  EXPECT_EQ(world.farm("F-1")->country, "PE");
  EXPECT_EQ(world.farm("F-1")->plots[0].species, "Theobroma cacao");
  EXPECT_EQ(world.farm("F-1")->plots[1].species, "Coffea canephora");
  EXPECT_EQ(world.farm("F-2")->country, "CO");
  EXPECT_EQ(world.farm("F-2")->plots[0].species, "Coffea arabica");
}

TEST(FarmCountry, WithoutADefaultAFarmMustNameItsCountry) {
  TestChain chain([](Genesis& g) { g.params.default_country.clear(); });
  Verdict v = chain.submit("coop-1", farm("F-1", "", {plot("P-1", 10'000, Crop::kCoffee, {})}));
  EXPECT_EQ(v.code, RuleCode::kBadCountry);
  EXPECT_NE(v.message.find("names no country"), std::string::npos) << v.message;
  EXPECT_TRUE(chain.block().changes().empty());
  for (const char* bad : {"XK", "pe", "PER", "EU"}) {
    EXPECT_EQ(
        chain.submit("coop-1", farm("F-1", bad, {plot("P-1", 10'000, Crop::kCoffee, {})})).code,
        RuleCode::kBadCountry)
        << bad;
  }
  chain.accept("coop-1", farm("F-1", "PE", {plot("P-1", 10'000, Crop::kCoffee, {})}));
}

TEST(FarmCountry, ASpeciesIsTextWithoutControlsOfAtMost128Bytes) {
  TestChain chain;
  Plot p = plot("P-1", 10'000, Crop::kCoffee, {});
  p.species = std::string(129, 'x');
  EXPECT_EQ(chain.submit("coop-1", farm("F-1", "", {p})).code, RuleCode::kMalformed);
  p.species = "Coffea\narabica";
  EXPECT_EQ(chain.submit("coop-1", farm("F-1", "", {p})).code, RuleCode::kMalformed);
}

}  // namespace
}  // namespace coopchain::testing
