// The table of pending and rejected transactions that readers on any thread consult.
#include "coopchain/node/tx_status_table.h"

#include <gtest/gtest.h>

#include "filled_hash.h"

namespace coopchain {
namespace {

using testing::filled_hash;
using Clock = TxStatusTable::Clock;

TEST(TxStatusTable, PendingThenRejectedThenPendingAgain) {
  TxStatusTable table(10);
  const Hash256 id = filled_hash(1);
  EXPECT_EQ(table.lookup(id).state, TxState::kUnknown);
  table.mark_pending(id, Clock::now());
  EXPECT_EQ(table.lookup(id).state, TxState::kPending);
  table.reject(id, Verdict::reject(RuleCode::kUnknownLot, "no lot"));
  EXPECT_EQ(table.lookup(id).state, TxState::kRejected);
  EXPECT_EQ(table.lookup(id).verdict.code, RuleCode::kUnknownLot);
  // Resubmitted: pending again while it is, whatever was refused before.
  table.mark_pending(id, Clock::now());
  EXPECT_EQ(table.lookup(id).state, TxState::kPending);
  table.forget_pending(id);
  EXPECT_EQ(table.lookup(id).state, TxState::kRejected);
}

TEST(TxStatusTable, KeepsOnlyTheNewestRejections) {
  TxStatusTable table(3);
  for (uint8_t b = 1; b <= 5; ++b)
    table.reject(filled_hash(b), Verdict::reject(RuleCode::kMalformed, ""));
  EXPECT_EQ(table.lookup(filled_hash(1)).state, TxState::kUnknown);
  EXPECT_EQ(table.lookup(filled_hash(2)).state, TxState::kUnknown);
  for (uint8_t b = 3; b <= 5; ++b)
    EXPECT_EQ(table.lookup(filled_hash(b)).state, TxState::kRejected);
  // Rejected twice counts once.
  table.reject(filled_hash(5), Verdict::reject(RuleCode::kMalformed, ""));
  EXPECT_EQ(table.lookup(filled_hash(3)).state, TxState::kRejected);
}

TEST(TxStatusTable, SweepReportsOldEntriesNoLongerInFlightAsDropped) {
  TxStatusTable table(10);
  const auto now = Clock::now();
  table.mark_pending(filled_hash(1), now - std::chrono::minutes(5));  // old, gone
  table.mark_pending(filled_hash(2), now - std::chrono::minutes(5));  // old, still in flight
  table.mark_pending(filled_hash(3), now);                            // recent
  table.mark_pending(filled_hash(4), now - std::chrono::minutes(5));  // old, dropped before
  table.drop(filled_hash(4), "its leader stepped down");
  table.sweep(
      now - std::chrono::minutes(1), [](const Hash256& id) { return id == filled_hash(2); },
      "gone from this node");
  // Never PENDING for what the node no longer holds: DROPPED, with why.
  EXPECT_EQ(table.lookup(filled_hash(1)).state, TxState::kDropped);
  EXPECT_EQ(table.lookup(filled_hash(1)).reason, "gone from this node");
  EXPECT_EQ(table.lookup(filled_hash(2)).state, TxState::kPending);
  EXPECT_EQ(table.lookup(filled_hash(3)).state, TxState::kPending);
  EXPECT_EQ(table.lookup(filled_hash(4)).reason, "its leader stepped down");
  EXPECT_EQ(table.pending_count(), 2u);
}

TEST(TxStatusTable, ADroppedTransactionIsPendingAgainOnceResubmitted) {
  TxStatusTable table(2);
  const auto now = Clock::now();
  table.mark_pending(filled_hash(1), now);
  table.drop(filled_hash(1), "its leader stepped down");
  EXPECT_EQ(table.lookup(filled_hash(1)).state, TxState::kDropped);
  EXPECT_EQ(table.pending_count(), 0u);
  table.mark_pending(filled_hash(1), now);
  EXPECT_EQ(table.lookup(filled_hash(1)).state, TxState::kPending);
  // The record is bounded: the oldest reasons go first.
  for (uint8_t i = 2; i <= 4; ++i) table.drop(filled_hash(i), "dropped");
  EXPECT_EQ(table.lookup(filled_hash(2)).state, TxState::kUnknown);
  EXPECT_EQ(table.lookup(filled_hash(4)).state, TxState::kDropped);
}

}  // namespace
}  // namespace coopchain
