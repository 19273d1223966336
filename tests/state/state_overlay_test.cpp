// An overlay stages writes over a base; writes under a kept savepoint replace earlier ones for
// the same key (puts and deletions alike), and a savepoint that is not kept leaves no trace.
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

TEST(StateOverlay, WritesUnderAKeptSavepointStay) {
  MemoryState base;
  base.apply({{"kept", "base"}}, {});
  StateOverlay overlay(base);
  overlay.put("put-then-put", "before");
  overlay.put("put-then-erase", "before");
  overlay.erase("erase-then-put");
  overlay.put("untouched", "before");
  overlay.add_transaction(id(1));
  {
    StateOverlay::Savepoint savepoint(overlay);
    overlay.put("put-then-put", "after");
    overlay.erase("put-then-erase");
    overlay.put("erase-then-put", "after");
    overlay.put("new", "after");
    overlay.add_transaction(id(2));
    savepoint.keep();
  }

  const StateChanges expected = {{"erase-then-put", "after"},
                                 {"new", "after"},
                                 {"put-then-erase", std::nullopt},
                                 {"put-then-put", "after"},
                                 {"untouched", "before"}};
  EXPECT_EQ(overlay.changes(), expected);
  EXPECT_EQ(overlay.get("kept"), "base");
  EXPECT_TRUE(overlay.has_transaction(id(1)));
  EXPECT_TRUE(overlay.has_transaction(id(2)));
}

TEST(StateOverlay, ASavepointNotKeptLeavesNoTrace) {
  MemoryState base;
  base.apply({{"in-base", "base"}}, {});
  StateOverlay overlay(base);
  overlay.put("a", "before");
  overlay.erase("gone");
  const StateChanges before = overlay.changes();
  {
    StateOverlay::Savepoint savepoint(overlay);
    overlay.put("a", "during");
    overlay.put("a", "during, again");  // the same key twice: both writes are undone
    overlay.put("b", "during");
    overlay.erase("b");
    overlay.put("gone", "back");
    overlay.erase("in-base");
    overlay.add_transaction(id(3));
  }
  EXPECT_EQ(overlay.changes(), before);
  EXPECT_EQ(overlay.get("a"), "before");
  EXPECT_EQ(overlay.get("b"), std::nullopt);
  EXPECT_EQ(overlay.get("gone"), std::nullopt);
  EXPECT_EQ(overlay.get("in-base"), "base");
  EXPECT_FALSE(overlay.has_transaction(id(3)));
}

TEST(StateOverlay, AnInnerSavepointUndoesOnlyItsOwnWrites) {
  MemoryState base;
  StateOverlay overlay(base);
  {
    StateOverlay::Savepoint outer(overlay);
    overlay.put("outer", "1");
    {
      StateOverlay::Savepoint inner(overlay);
      overlay.put("outer", "2");
      overlay.put("inner", "1");
      overlay.add_transaction(id(4));
    }
    EXPECT_EQ(overlay.get("outer"), "1");
    EXPECT_EQ(overlay.get("inner"), std::nullopt);
    EXPECT_FALSE(overlay.has_transaction(id(4)));
    {
      StateOverlay::Savepoint kept(overlay);
      overlay.put("kept-inside", "1");
      kept.keep();
    }
    // Kept by the inner savepoint, still undone with the outer one.
  }
  EXPECT_TRUE(overlay.changes().empty());
  EXPECT_FALSE(overlay.has_transaction(id(4)));
}

TEST(StateOverlay, ReleasingTheChangesHandsThemOverInKeyOrder) {
  MemoryState base;
  StateOverlay overlay(base);
  overlay.put("b", "2");
  overlay.erase("c");
  overlay.put("a", "1");
  const StateChanges expected = {{"a", "1"}, {"b", "2"}, {"c", std::nullopt}};
  EXPECT_EQ(overlay.release_changes(), expected);
  EXPECT_TRUE(overlay.changes().empty());
}

}  // namespace
}  // namespace coopchain
