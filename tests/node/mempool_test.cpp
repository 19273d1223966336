#include "coopchain/node/mempool.h"

#include <gtest/gtest.h>

namespace coopchain {
namespace {

Transaction tx(const std::string& payload) {
  Transaction t;
  t.signed_tx = {payload, std::string(64, 's')};
  t.id = t.signed_tx.id();
  return t;
}

TEST(Mempool, KeepsArrivalOrderAndRefusesDuplicates) {
  Mempool pool(10);
  EXPECT_TRUE(pool.add(tx("a")));
  EXPECT_TRUE(pool.add(tx("b")));
  EXPECT_FALSE(pool.add(tx("a")));
  EXPECT_TRUE(pool.add(tx("c")));
  auto oldest = pool.oldest(2);
  ASSERT_EQ(oldest.size(), 2u);
  EXPECT_EQ(oldest[0]->signed_tx.payload, "a");
  EXPECT_EQ(oldest[1]->signed_tx.payload, "b");
  pool.remove(tx("a").id);
  EXPECT_FALSE(pool.contains(tx("a").id));
  EXPECT_EQ(pool.oldest(10).front()->signed_tx.payload, "b");
  EXPECT_EQ(pool.size(), 2u);
}

TEST(Mempool, IsBounded) {
  Mempool pool(2);
  EXPECT_TRUE(pool.add(tx("a")));
  EXPECT_TRUE(pool.add(tx("b")));
  EXPECT_TRUE(pool.full());
  EXPECT_FALSE(pool.add(tx("c")));
  EXPECT_EQ(pool.size(), 2u);
}

}  // namespace
}  // namespace coopchain
