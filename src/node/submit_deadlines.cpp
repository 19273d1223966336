#include "coopchain/node/submit_deadlines.h"

#include <algorithm>

namespace coopchain {

void SubmitDeadlines::push(Entry entry) {
  heap_.push_back(std::move(entry));
  std::push_heap(heap_.begin(), heap_.end());
}

void SubmitDeadlines::add(Clock::time_point deadline, const std::shared_ptr<SubmitReply>& reply) {
  push({deadline, reply, false});
}

void SubmitDeadlines::expire(Clock::time_point now) {
  while (!heap_.empty() && heap_.front().at <= now) {
    std::pop_heap(heap_.begin(), heap_.end());
    Entry due = std::move(heap_.back());
    heap_.pop_back();
    auto reply = due.reply.lock();
    if (!reply) continue;
    if (due.give_up) {
      reply->give_up("the node did not answer in time");
    } else {
      reply->expire();
      if (!reply->answered()) push({due.at + give_up_after_, reply, true});
    }
  }
}

void SubmitDeadlines::compact() {
  std::erase_if(heap_, [](const Entry& e) {
    auto reply = e.reply.lock();
    return !reply || reply->answered();
  });
  std::make_heap(heap_.begin(), heap_.end());
}

}  // namespace coopchain
