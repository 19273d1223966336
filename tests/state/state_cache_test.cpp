// The committed-state cache answers exactly what the state under it holds, through misses,
// commits (writes, deletions, new transactions) and generation changes.
#include "coopchain/state/state_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "filled_hash.h"

namespace coopchain {
namespace {

Hash256 tx_id(uint8_t b) {
  return testing::filled_hash(b);
}

// A base that counts its reads, so that a test can tell a cached answer from a fresh one.
class CountingState final : public StateReader {
 public:
  std::optional<std::string> get(std::string_view key) const override {
    ++reads;
    return state.get(key);
  }
  bool has_transaction(const Hash256& id) const override {
    ++reads;
    return state.has_transaction(id);
  }
  // What a commit does to the store: the base changes first, then the cache learns of it.
  void commit(StateCache& cache, const StateChanges& changes, std::vector<Hash256> txs) {
    state.apply(changes, {txs.begin(), txs.end()});
    cache.apply(changes, txs);
  }

  MemoryState state;
  mutable int reads = 0;
};

TEST(StateCache, AnswersPresentKeysAndTransactionIdsFromTheBaseOnceEach) {
  CountingState base;
  base.state.apply({{"org/a", "A"}}, {});
  StateCache cache(base, 1 << 20);
  EXPECT_EQ(cache.get("org/a"), "A");
  EXPECT_FALSE(cache.has_transaction(tx_id(1)));
  EXPECT_EQ(base.reads, 2);
  EXPECT_EQ(cache.get("org/a"), "A");
  EXPECT_FALSE(cache.has_transaction(tx_id(1)));
  EXPECT_EQ(base.reads, 2) << "a second read of the same keys must not reach the base";
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(StateCache, AsksTheBaseAgainForAKeyThatWasAbsent) {
  CountingState base;
  StateCache cache(base, 1 << 20);
  EXPECT_EQ(cache.get("lot/new"), std::nullopt);
  EXPECT_EQ(cache.get("lot/new"), std::nullopt);
  EXPECT_EQ(base.reads, 2);
  base.commit(cache, {{"lot/new", "created"}}, {});
  EXPECT_EQ(cache.get("lot/new"), "created");
  EXPECT_EQ(cache.get("lot/new"), "created");
  EXPECT_EQ(base.reads, 3) << "once present, the key is kept";
}

TEST(StateCache, CommitsReplaceCachedValuesAbsencesAndDeletions) {
  CountingState base;
  StateCache cache(base, 1 << 20);
  base.commit(cache, {{"lot/1", "v1"}, {"lot/2", "x"}}, {});
  EXPECT_EQ(cache.get("lot/1"), "v1");  // cached
  EXPECT_EQ(cache.get("lot/2"), "x");   // cached, then deleted below
  EXPECT_EQ(cache.get("lot/3"), std::nullopt);
  EXPECT_FALSE(cache.has_transaction(tx_id(7)));  // cached as not committed
  base.commit(cache, {{"lot/1", "v2"}, {"lot/2", std::nullopt}, {"lot/3", "new"}}, {tx_id(7)});
  EXPECT_EQ(cache.get("lot/1"), "v2");
  EXPECT_EQ(cache.get("lot/2"), std::nullopt);
  EXPECT_EQ(cache.get("lot/3"), "new");
  EXPECT_TRUE(cache.has_transaction(tx_id(7)));
}

TEST(StateCache, StaysExactWhileAFullGenerationRotates) {
  CountingState base;
  // A budget of a few entries: rotation happens every few reads.
  StateCache cache(base, 1024);
  StateChanges all;
  for (int i = 0; i < 200; ++i) all["k/" + std::to_string(i)] = std::to_string(i);
  base.commit(cache, all, {});
  for (int round = 0; round < 3; ++round) {
    StateChanges changes;
    for (int i = round; i < 200; i += 3) {
      const std::string key = "k/" + std::to_string(i);
      ASSERT_EQ(cache.get(key), base.state.get(key)) << key << " in round " << round;
      if (i % 2 == 0) {
        changes[key] = std::nullopt;
      } else {
        changes[key] = "r" + std::to_string(round);
      }
    }
    base.commit(cache, changes, {tx_id(static_cast<uint8_t>(round))});
    for (int i = 0; i < 200; ++i) {
      const std::string key = "k/" + std::to_string(i);
      ASSERT_EQ(cache.get(key), base.state.get(key)) << key << " after round " << round;
    }
    for (uint8_t t = 0; t < 5; ++t) {
      ASSERT_EQ(cache.has_transaction(tx_id(t)), t <= round) << "tx " << int(t);
    }
  }
  EXPECT_GT(cache.misses(), 200u) << "a 1 KiB budget cannot hold 200 entries";
}

}  // namespace
}  // namespace coopchain
