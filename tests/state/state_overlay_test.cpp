// An overlay stages writes over a base; a child's writes, merged, replace the parent's for the
// same key (puts and deletions alike), and a child that is not merged leaves no trace.
#include <gtest/gtest.h>

#include "coopchain/state/state_view.h"
#include "filled_hash.h"

namespace coopchain {
namespace {

Hash256 id(uint8_t fill) {
  return testing::filled_hash(fill);
}

TEST(StateOverlay, ReadsThroughToTheBaseAndSeesItsOwnWrites) {
  MemoryState base;
  base.apply({{"a", "base-a"}, {"b", "base-b"}}, {id(1)});
  StateOverlay overlay(base);
  overlay.put("a", "new-a");
  overlay.erase("b");
  EXPECT_EQ(overlay.get("a"), "new-a");
  EXPECT_EQ(overlay.get("b"), std::nullopt);
  EXPECT_EQ(base.get("b"), "base-b");
  EXPECT_TRUE(overlay.has_transaction(id(1)));
}

TEST(StateOverlay, AMergedChildReplacesTheParentsWritesAndAddsItsOwn) {
  MemoryState base;
  base.apply({{"kept", "base"}}, {});
  StateOverlay parent(base);
  parent.put("put-then-put", "parent");
  parent.put("put-then-erase", "parent");
  parent.erase("erase-then-put");
  parent.put("untouched", "parent");
  parent.add_transaction(id(1));

  StateOverlay child(parent);
  child.put("put-then-put", "child");
  child.erase("put-then-erase");
  child.put("erase-then-put", "child");
  child.put("new", "child");
  child.add_transaction(id(2));
  parent.merge(std::move(child));

  const StateChanges expected = {{"erase-then-put", "child"},
                                 {"new", "child"},
                                 {"put-then-erase", std::nullopt},
                                 {"put-then-put", "child"},
                                 {"untouched", "parent"}};
  EXPECT_EQ(parent.changes(), expected);
  EXPECT_EQ(parent.get("kept"), "base");
  EXPECT_TRUE(parent.has_transaction(id(1)));
  EXPECT_TRUE(parent.has_transaction(id(2)));
  EXPECT_TRUE(child.changes().empty());
  EXPECT_TRUE(child.transactions().empty());
}

TEST(StateOverlay, AChildThatIsNotMergedLeavesNoTrace) {
  MemoryState base;
  StateOverlay parent(base);
  parent.put("a", "parent");
  {
    StateOverlay child(parent);
    child.put("a", "child");
    child.put("b", "child");
    child.add_transaction(id(3));
  }
  EXPECT_EQ(parent.get("a"), "parent");
  EXPECT_EQ(parent.get("b"), std::nullopt);
  EXPECT_FALSE(parent.has_transaction(id(3)));
}

}  // namespace
}  // namespace coopchain
