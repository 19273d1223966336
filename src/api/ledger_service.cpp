#include "service_impls.h"

#include <thread>

#include "coopchain/api/convert.h"
#include "coopchain/wire/block_proto.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::api {
namespace {

Status not_found_height(uint64_t height) {
  return Status::NotFound("no block at height " + std::to_string(height));
}

Result<Hash256> parse_tx_id(const std::string& hex) {
  auto id = hash_from_hex(hex);
  if (!id) return Status::InvalidArgument("a transaction id is 64 hex digits, not \"" + hex + "\"");
  return *id;
}

// One Submit call. It finishes exactly once, with the node's answer or, if the client goes away
// first, on cancellation; gRPC deletes it when done.
class SubmitCall final : public grpc::ServerUnaryReactor {
 public:
  explicit SubmitCall(v1::SubmitResponse* response)
      : reply_(std::make_shared<SubmitReply>([this, response](Result<TxOutcome> outcome) {
          answer(std::move(outcome), response);
        })) {}
  const std::shared_ptr<SubmitReply>& reply() const { return reply_; }

  void OnCancel() override { reply_->resolve(Status::Unavailable("the call was cancelled")); }
  void OnDone() override { delete this; }

 private:
  void answer(Result<TxOutcome> outcome, v1::SubmitResponse* response) {
    if (!outcome.ok()) {
      Finish(to_grpc(outcome.status()));
    } else if (outcome->state == TxState::kRejected) {
      Finish(to_grpc(Status::Rejected(outcome->verdict)));
    } else {
      to_proto(*outcome, *response);
      Finish(grpc::Status::OK);
    }
  }

  std::shared_ptr<SubmitReply> reply_;
};

}  // namespace

grpc::ServerUnaryReactor* LedgerService::Submit(grpc::CallbackServerContext*,
                                                const v1::SubmitRequest* request,
                                                v1::SubmitResponse* response) {
  const uint32_t timeout_ms = request->wait_timeout_ms() != 0
                                  ? request->wait_timeout_ms()
                                  : node_.config().submit_wait_timeout_ms;
  auto* call = new SubmitCall(response);
  node_.submit(wire::from_proto(request->transaction()), request->wait(),
               std::chrono::milliseconds(timeout_ms), call->reply());
  return call;
}

grpc::Status LedgerService::GetTransaction(grpc::ServerContext*,
                                           const v1::GetTransactionRequest* request,
                                           v1::TransactionInfo* response) {
  auto id = parse_tx_id(request->tx_id());
  if (!id.ok()) return to_grpc(id.status());
  auto result = node_.read([&](const Node& node) -> Status {
    TxOutcome outcome = node.transaction_outcome(*id);
    if (outcome.state == TxState::kUnknown) {
      return Status::NotFound("no transaction " + request->tx_id() + " on this node");
    }
    response->set_tx_id(request->tx_id());
    response->set_state(to_proto(outcome.state));
    if (outcome.state == TxState::kRejected) {
      response->set_rule_code(std::string(rule_code_name(outcome.verdict.code)));
      response->set_message(outcome.verdict.message);
      return Status::Ok();
    }
    if (outcome.state != TxState::kCommitted) return Status::Ok();
    response->set_height(outcome.height);
    response->set_index(outcome.index);
    auto block = node.store().block(outcome.height);
    if (!block.ok()) return block.status();
    if (outcome.index >= block->txs.size()) return Status::Corruption("tx index out of range");
    const SignedTransaction& stx = block->txs[outcome.index];
    *response->mutable_transaction() = wire::to_proto(stx);
    v1::TxPayload payload;
    if (payload.ParseFromString(stx.payload)) {
      *response->mutable_event() = payload.event();
      const std::string kid = key_id(payload.public_key());
      response->set_signer_key_id(kid);
      for (const auto& org : node.genesis().organizations) {
        for (const auto& k : org.public_keys) {
          if (k == payload.public_key()) response->set_signer_organization(org.id);
        }
      }
    }
    return Status::Ok();
  });
  return to_grpc(result);
}

Status LedgerService::fill_block(uint64_t height, bool with_transactions, v1::BlockInfo* out) {
  auto result = node_.read([&](const Node& node) -> Status {
    auto block = node.store().block(height);
    if (!block.ok()) {
      return block.status().code() == StatusCode::kNotFound ? not_found_height(height)
                                                            : block.status();
    }
    auto qc = node.store().quorum_certificate(height);
    *out = wire::block_to_proto(*block, qc.ok() ? &*qc : nullptr, with_transactions);
    return Status::Ok();
  });
  return result;
}

grpc::Status LedgerService::GetBlock(grpc::ServerContext*, const v1::GetBlockRequest* request,
                                     v1::BlockInfo* response) {
  return to_grpc(fill_block(request->height(), request->include_transactions(), response));
}

grpc::Status LedgerService::GetHead(grpc::ServerContext*, const v1::GetHeadRequest*,
                                    v1::BlockInfo* response) {
  auto height = node_.read([](const Node& node) { return node.store().head()->height; });
  if (!height.ok()) return to_grpc(height.status());
  return to_grpc(fill_block(*height, false, response));
}

grpc::Status LedgerService::StreamBlocks(grpc::ServerContext* context,
                                         const v1::StreamBlocksRequest* request,
                                         grpc::ServerWriter<v1::BlockInfo>* writer) {
  uint64_t next = request->from_height();
  while (!context->IsCancelled()) {
    auto head = node_.read([](const Node& node) { return node.store().head()->height; });
    if (!head.ok()) return to_grpc(head.status());
    if (next > *head) {
      // Follow the head: a short poll keeps the strand free of per-stream bookkeeping.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    v1::BlockInfo block;
    Status st = fill_block(next, request->include_transactions(), &block);
    if (!st.ok()) return to_grpc(st);
    if (!writer->Write(block)) return grpc::Status::OK;  // the client went away
    ++next;
  }
  return grpc::Status::OK;
}

}  // namespace coopchain::api
