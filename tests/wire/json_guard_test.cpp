#include "coopchain/wire/json_guard.h"

#include <gtest/gtest.h>

#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain::wire {
namespace {

TEST(JsonGuard, FindsAKeyNamedTwiceInTheSameObjectOnly) {
  EXPECT_EQ(check_json_structure(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]})"), "");
  EXPECT_NE(check_json_structure(R"({"a": 1, "b": 2, "a": 3})").find("\"a\" twice"),
            std::string::npos);
  EXPECT_NE(check_json_structure(R"([{"x": {"k": "v", "k": "w"}}])"), "");
  // A value equal to a key is not a key, nor is a string inside an array.
  EXPECT_EQ(check_json_structure(R"({"a": "a", "b": ["b", "b"]})"), "");
  EXPECT_EQ(check_json_structure(R"({"a\"b": 1, "a": 2})"), "");
}

TEST(JsonGuard, CapsNestingWithoutRecursing) {
  std::string deep(200'000, '[');
  EXPECT_NE(check_json_structure(deep).find("deeper than"), std::string::npos);
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(check_json_structure(ok), "");
}

// The proto3 JSON parser keeps the last of two equal keys; two readers of one file could then
// disagree on the event. Every JSON reader refuses it.
TEST(JsonGuard, EveryJsonReaderRefusesDuplicatesAndDeepNesting) {
  auto events = events_from_json(
      R"({"transfer": {"lotId": "L", "massG": 1, "massG": 1000000, "toOrganization": "o"}})");
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.status().rule(), RuleCode::kMalformed);
  EXPECT_NE(events.status().message().find("massG"), std::string::npos);

  std::string nested = R"({"registerFarm": {"farmId": "F", "plots": [{"plotId": "P", "areaM2": 1,
      "crop": "COFFEE", "geometry": {"type": "Polygon", "coordinates": )" +
                       std::string(20'000, '[') + std::string(20'000, ']') + "}}]}}";
  auto deep = events_from_json(nested);
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("deeper than"), std::string::npos);

  EXPECT_FALSE(geometries_from_geojson(R"({"type": "Point", "type": "Polygon"})").ok());
  EXPECT_FALSE(genesis_from_json(R"({"chainId": "a", "chainId": "b"})").ok());
}

}  // namespace
}  // namespace coopchain::wire
