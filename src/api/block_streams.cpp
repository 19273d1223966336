#include "block_streams.h"

#include <grpcpp/impl/codegen/proto_utils.h>

#include "coopchain/v1/api.pb.h"
#include "service_impls.h"

namespace coopchain::api {

// How often the head is looked at for streams waiting there: the node publishes a new view
// after each commit, and a poll of it costs nothing.
constexpr auto kHeadPoll = std::chrono::milliseconds(100);

class BlockStreams::Stream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  Stream(BlockStreams& hub, grpc::CallbackServerContext* context, uint64_t from,
         bool with_transactions)
      : hub_(hub), context_(context), next_(from), with_transactions_(with_transactions) {}

  // Writes block next_, or waits for it. Called by gRPC after a write, or by the head follower.
  void advance() {
    for (;;) {
      if (context_->IsCancelled()) return end(grpc::Status::CANCELLED);
      if (hub_.reader_.stopping()) {
        return end(to_grpc(Status::Unavailable("the node is shutting down")));
      }
      auto view = hub_.reader_.committed();
      if (next_ > view->head().height) {
        if (hub_.wait(this, view->head().height)) return;
        if (hub_.stopping()) return end(to_grpc(Status::Unavailable("the node is shutting down")));
        continue;  // the chain grew meanwhile
      }
      v1::BlockInfo block;
      if (Status st = fill_block(*view, next_, with_transactions_, &block); !st.ok()) {
        return end(to_grpc(st));
      }
      ++next_;
      bool own = false;
      buffer_.Clear();  // the last block's bytes, written already
      if (!grpc::SerializationTraits<v1::BlockInfo>::Serialize(block, &buffer_, &own).ok()) {
        return end(to_grpc(Status::Internal("cannot serialize a block")));
      }
      StartWrite(&buffer_);
      return;
    }
  }

  void end(const grpc::Status& status) {
    if (!finished_.exchange(true)) Finish(status);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return end(grpc::Status::OK);  // the client went away
    advance();
  }
  void OnCancel() override {
    if (hub_.unwait(this)) end(grpc::Status::CANCELLED);
  }
  void OnDone() override {
    hub_.unwait(this);
    --hub_.open_;
    delete this;
  }

 private:
  BlockStreams& hub_;
  grpc::CallbackServerContext* context_;
  uint64_t next_;
  const bool with_transactions_;
  grpc::ByteBuffer buffer_;
  std::atomic<bool> finished_{false};
};

// A reactor that only answers: a request that does not parse, or one past the cap.
class Refusal final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  explicit Refusal(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

BlockStreams::BlockStreams(const ChainReader& reader, size_t max_streams)
    : reader_(reader), max_streams_(max_streams), follower_([this] { follow_head(); }) {}

BlockStreams::~BlockStreams() {
  stop();
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* BlockStreams::open(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* raw) {
  v1::StreamBlocksRequest request;
  grpc::ByteBuffer copy(*raw);
  if (!grpc::SerializationTraits<v1::StreamBlocksRequest>::Deserialize(&copy, &request).ok()) {
    return new Refusal(not_a_request(v1::StreamBlocksRequest::descriptor()->full_name()));
  }
  if (++open_ > max_streams_) {
    --open_;
    return new Refusal(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "this node serves at most " + std::to_string(max_streams_) +
                         " block streams at once; try again later or follow another node"));
  }
  auto* stream = new Stream(*this, context, request.from_height(), request.include_transactions());
  stream->advance();
  return stream;
}

bool BlockStreams::stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool BlockStreams::wait(Stream* stream, uint64_t height) {
  std::lock_guard lock(mu_);
  if (stopping_ || reader_.committed()->head().height > height) return false;
  waiting_.insert(stream);
  return true;
}

bool BlockStreams::unwait(Stream* stream) {
  std::lock_guard lock(mu_);
  return waiting_.erase(stream) != 0;
}

void BlockStreams::follow_head() {
  std::unique_lock lock(mu_);
  uint64_t seen = reader_.committed()->head().height;
  while (!stopping_) {
    wake_.wait_for(lock, kHeadPoll);
    const uint64_t head = reader_.committed()->head().height;
    if (head == seen || waiting_.empty()) {
      seen = head;
      continue;
    }
    seen = head;
    std::set<Stream*> woken = std::exchange(waiting_, {});
    lock.unlock();
    for (Stream* s : woken) s->advance();
    lock.lock();
  }
}

void BlockStreams::stop() {
  std::set<Stream*> ended;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    ended = std::exchange(waiting_, {});
  }
  wake_.notify_all();
  for (Stream* s : ended) s->end(to_grpc(Status::Unavailable("the node is shutting down")));
  if (follower_.joinable()) follower_.join();
}

}  // namespace coopchain::api
