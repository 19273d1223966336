// SubmitDeadlines: when each waiting submitter's wait is over. At its deadline a reply is
// expired (a noted pending outcome becomes its answer); one still unanswered `give_up_after`
// later (a forwarded submission whose leader never answered) is told the node did not answer.
// Entries hold replies weakly and `compact` drops those already answered, so the heap stays
// about as large as the number of submitters still waiting. Strand-only; no clock of its own.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "coopchain/node/submit_reply.h"

namespace coopchain {

class SubmitDeadlines {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SubmitDeadlines(Clock::duration give_up_after) : give_up_after_(give_up_after) {}

  void add(Clock::time_point deadline, const std::shared_ptr<SubmitReply>& reply);
  // Expires every reply whose deadline is at or before `now`, and gives up on those due to.
  void expire(Clock::time_point now);
  // Drops the entries of replies that were answered or destroyed.
  void compact();
  size_t size() const { return heap_.size(); }

 private:
  struct Entry {
    Clock::time_point at;
    std::weak_ptr<SubmitReply> reply;
    bool give_up = false;
    // A min-heap on `at` through the standard max-heap algorithms.
    bool operator<(const Entry& other) const { return at > other.at; }
  };
  void push(Entry entry);

  Clock::duration give_up_after_;
  std::vector<Entry> heap_;
};

}  // namespace coopchain
