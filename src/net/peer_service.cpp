#include "peer_service.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "coopchain/net/grpc_status.h"
#include "coopchain/net/message_codec.h"
#include "coopchain/net/outcome_proto.h"
#include "peer_tls.h"

namespace coopchain::net {

grpc::Status PeerService::authenticate(const grpc::ServerContextBase& context,
                                       std::string& id) const {
  auto name = peer_common_name(context);
  if (!name) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no client certificate");
  }
  if (*name == self_id_ || !book_->admits(*name)) {
    spdlog::warn("refused peer {} ({}): not another node of the network", *name, context.peer());
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        "certificate for \"" + *name + "\", which is not another node of the network");
  }
  id = *name;
  return grpc::Status::OK;
}

namespace {

// One peer's Exchange stream: each message read is handed to the node, then the next is read.
// A peer that cannot be authenticated is refused before anything is read, and a peer the
// network removed is cut off at its next message.
class ExchangeCall final : public grpc::ServerReadReactor<v1::PeerFrame> {
 public:
  ExchangeCall(std::string from, std::string self_id, std::shared_ptr<const PeerBook> book,
               PeerHandler& handler)
      : from_(std::move(from)),
        self_id_(std::move(self_id)),
        book_(std::move(book)),
        handler_(&handler) {
    StartRead(&frame_);
  }
  explicit ExchangeCall(const grpc::Status& refusal) : handler_(nullptr) { Finish(refusal); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the peer closed the stream, or it broke
      if (bad_ > 1) spdlog::warn("{} undecodable messages from {}", bad_, from_);
      Finish(grpc::Status::OK);
      return;
    }
    if (!book_->admits(from_)) {
      spdlog::warn("closed the stream from {}: no longer a node of the network", from_);
      Finish(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, from_ + " was removed"));
      return;
    }
    auto payload = decode_message(frame_.message());
    if (payload.ok()) {
      handler_->deliver({from_, self_id_, std::move(payload).value()});
    } else if (bad_++ == 0) {
      // Logged once per stream and then counted: a broken peer must not flood the log.
      spdlog::warn("undecodable message from {}: {}", from_, payload.status().message());
    }
    StartRead(&frame_);
  }
  void OnDone() override { delete this; }

 private:
  const std::string from_;
  const std::string self_id_;
  const std::shared_ptr<const PeerBook> book_;
  PeerHandler* const handler_;
  v1::PeerFrame frame_;
  uint64_t bad_ = 0;
};

// One Forward call. It finishes exactly once: with the node's outcomes, or when it is cancelled
// (the follower went away, the server is shutting down); an answer after that is dropped. The
// state the answer reaches outlives the call, which gRPC deletes when done.
class ForwardCall final : public grpc::ServerUnaryReactor {
 public:
  explicit ForwardCall(v1::ForwardResponse* response)
      : state_(std::make_shared<State>(this, response)) {}

  PeerHandler::ForwardAnswer answer() const {
    return [state = state_](std::vector<Result<TxOutcome>> outcomes) {
      state->finish(std::move(outcomes));
    };
  }
  void OnCancel() override {
    // Held here too: finishing may end the call, and with it this reactor and its reference.
    auto state = state_;
    state->cancel();
  }
  void OnDone() override { delete this; }

 private:
  struct State {
    State(ForwardCall* call, v1::ForwardResponse* response) : call(call), response(response) {}
    void finish(std::vector<Result<TxOutcome>> outcomes) {
      std::lock_guard lock(mu);
      if (finished) return;
      finished = true;
      for (auto& outcome : outcomes) {
        auto* out = response->add_outcomes();
        if (outcome.ok()) {
          to_proto(*outcome, *out->mutable_response());
        } else {
          out->set_unavailable(outcome.status().message());
        }
      }
      call->Finish(grpc::Status::OK);
    }
    void cancel() {
      std::lock_guard lock(mu);
      if (finished) return;
      finished = true;
      call->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled"));
    }

    std::mutex mu;
    ForwardCall* const call;
    v1::ForwardResponse* const response;
    bool finished = false;
  };
  std::shared_ptr<State> state_;
};

}  // namespace

grpc::ServerReadReactor<v1::PeerFrame>* PeerService::Exchange(grpc::CallbackServerContext* context,
                                                              v1::PeerStreamEnd*) {
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) return new ExchangeCall(st);
  return new ExchangeCall(std::move(from), self_id_, book_, handler_);
}

grpc::ServerUnaryReactor* PeerService::Forward(grpc::CallbackServerContext* context,
                                               const v1::ForwardRequest* request,
                                               v1::ForwardResponse* response) {
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(st);
    return reactor;
  }
  std::vector<SignedTransaction> txs;
  txs.reserve(request->transactions_size());
  for (const auto& tx : request->transactions()) txs.push_back({tx.payload(), tx.signature()});
  auto* call = new ForwardCall(response);
  handler_.forwarded_submit(std::move(txs), call->answer());
  return call;
}

grpc::ServerUnaryReactor* PeerService::Clock(grpc::CallbackServerContext* context,
                                             const v1::ClockRequest*, v1::ClockReading* response) {
  auto* reactor = context->DefaultReactor();
  std::string from;
  if (grpc::Status st = authenticate(*context, from); !st.ok()) {
    reactor->Finish(st);
    return reactor;
  }
  response->set_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace coopchain::net
