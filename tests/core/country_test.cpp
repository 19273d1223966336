#include "coopchain/core/country.h"

#include <gtest/gtest.h>

#include <string>

namespace coopchain {
namespace {

TEST(Country, KnowsTheAssignedCodesOnly) {
  for (const char* code : {"PE", "CO", "BR", "DE", "NL", "US", "CI", "GH", "AX", "ZW"}) {
    EXPECT_TRUE(is_iso_country(code)) << code;
  }
  for (const char* code : {"", "pe", "PER", "XK", "EU", "UK", "ZZ", "P", "AA"}) {
    EXPECT_FALSE(is_iso_country(code)) << code;
  }
  int assigned = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) assigned += is_iso_country(std::string{a, b}) ? 1 : 0;
  }
  EXPECT_EQ(assigned, 249);
}

}  // namespace
}  // namespace coopchain
